package dev.abilitystore.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.InvalidInputException;
import java.nio.file.Path;
import java.time.Duration;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

  @Test
  void from_emptyEnvironment_usesDefaultsWithoutPostgres() {
    Settings settings = Settings.from(Map.of());
    assertThat(settings.postgres()).isNull();
    assertThat(settings.embedder()).isEqualTo("local");
    assertThat(settings.dimension()).isEqualTo(384);
    assertThat(settings.remoteEmbedder()).isNull();
    assertThat(settings.dataDir()).isEqualTo(Path.of("data"));
    assertThat(settings.secondaryTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.queueMaxBytes()).isEqualTo(1L << 30);
    assertThat(settings.syncOnStart()).isTrue();
    assertThat(settings.http()).isEqualTo(new Settings.Http("127.0.0.1", 8080, List.of(), false, 64L << 20));
    assertThat(Settings.remote(Map.of())).isNull();
    assertThatThrownBy(() -> settings.requirePostgres("query"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("'query' needs PostgreSQL: set DATABASE_URL, e.g. "
            + "DATABASE_URL=postgresql://postgres@127.0.0.1:5432/abilitystore");
  }

  @Test
  void from_databaseUrlAndPoolSettings() {
    Settings settings = Settings.from(Map.of(
        "DATABASE_URL", "postgresql://app:pw@db:5433/reverse_engineer?sslmode=require",
        "ABILITYSTORE_PG_POOL_SIZE", "3",
        "ABILITYSTORE_PG_STATEMENT_TIMEOUT", "45s",
        "ABILITYSTORE_PG_CONNECT_TIMEOUT", "PT2S"));
    assertThat(settings.postgres()).satisfies(postgres -> {
      assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5433/reverse_engineer");
      assertThat(postgres.maximumPoolSize()).isEqualTo(3);
      assertThat(postgres.statementTimeout()).isEqualTo(Duration.ofSeconds(45));
      assertThat(postgres.connectionTimeout()).isEqualTo(Duration.ofSeconds(2));
      assertThat(postgres.properties()).containsEntry("sslmode", "require");
    });
    assertThat(settings.toString()).doesNotContain("pw");
  }

  @Test
  void from_badValues_nameTheVariable_neverClamp() {
    assertThatThrownBy(() -> Settings.from(Map.of("DATABASE_URL", "postgresql://h/db", "ABILITYSTORE_PG_POOL_SIZE", "0")))
        .hasMessage("ABILITYSTORE_PG_POOL_SIZE must be a whole number from 1 to 1000, was '0'");
    assertThatThrownBy(() -> Settings.from(Map.of("ABILITYSTORE_DIMENSION", "5000")))
        .hasMessageContaining("ABILITYSTORE_DIMENSION must be a whole number from 1 to 4096");
    assertThatThrownBy(() -> Settings.from(Map.of("ABILITYSTORE_DIMENSION", "3072")))
        .hasMessageContaining("does not fit ABILITYSTORE_EMBEDDER=local, whose model makes 384-dimension vectors");
    assertThatThrownBy(() -> Settings.from(Map.of("DATABASE_URL", "postgresql://h/db",
        "ABILITYSTORE_PG_STATEMENT_TIMEOUT", "soon")))
        .hasMessageContaining("ABILITYSTORE_PG_STATEMENT_TIMEOUT must be a positive duration");
    assertThatThrownBy(() -> Settings.from(Map.of("ABILITYSTORE_EMBEDDER", "magic")))
        .hasMessageContaining("ABILITYSTORE_EMBEDDER must be local, openai, gemini, hashing or none");
    assertThatThrownBy(() -> Settings.from(Map.of("DATABASE_URL", "mysql://h/db")))
        .hasMessageContaining("DATABASE_URL must start with postgresql://");
  }

  @Test
  void from_embedderNone_needsTheDimension() {
    assertThatThrownBy(() -> Settings.from(Map.of("ABILITYSTORE_EMBEDDER", "none")))
        .hasMessageContaining("ABILITYSTORE_DIMENSION is required with ABILITYSTORE_EMBEDDER=none");
    assertThat(Settings.from(Map.of("ABILITYSTORE_EMBEDDER", "none", "ABILITYSTORE_DIMENSION", "3072")).dimension())
        .isEqualTo(3072);
  }

  @Test
  void from_remoteEmbedders_needTheirKeys_andTakeTheOriginalsVariables() {
    assertThatThrownBy(() -> Settings.from(Map.of("ABILITYSTORE_EMBEDDER", "openai")))
        .hasMessageContaining("needs OPENAI_API_KEY");
    assertThatThrownBy(() -> Settings.from(Map.of("ABILITYSTORE_EMBEDDER", "gemini")))
        .hasMessageContaining("needs GOOGLE_GENERATIVE_AI_API_KEY");
    Settings gemini = Settings.from(Map.of("ABILITYSTORE_EMBEDDER", "gemini",
        "GOOGLE_GENERATIVE_AI_API_KEY", "AIzaSecret"));
    assertThat(gemini.dimension()).isEqualTo(3072);
    assertThat(gemini.remoteEmbedder().model()).isEqualTo("gemini-embedding-001");
    assertThat(gemini.toString()).doesNotContain("AIzaSecret");
    Settings openai = Settings.from(Map.of("ABILITYSTORE_EMBEDDER", "openai", "OPENAI_API_KEY", "sk-secret",
        "ABILITYSTORE_DIMENSION", "1024"));
    assertThat(openai.dimension()).isEqualTo(1024);
    assertThat(openai.remoteEmbedder().dimensionRequested()).isTrue();
    assertThat(openai.toString()).doesNotContain("sk-secret");
    Settings ollama = Settings.from(Map.of("ABILITYSTORE_EMBEDDER", "openai",
        "ABILITYSTORE_OPENAI_BASE_URL", "http://127.0.0.1:11434", "ABILITYSTORE_OPENAI_MODEL", "nomic-embed-text",
        "ABILITYSTORE_DIMENSION", "768"));
    assertThat(ollama.remoteEmbedder().apiKey()).isNull();
  }

  @Test
  void duration_units() {
    assertThat(Settings.duration("X", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Settings.duration("X", "2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Settings.duration("X", "1h")).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> Settings.duration("X", "0s")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Settings.duration("X", "-5s")).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void from_storeSettings() {
    Settings settings = Settings.from(Map.of(
        "ABILITYSTORE_SECONDARY_TIMEOUT", "750ms",
        "ABILITYSTORE_QUEUE_MAX_BYTES", "512MiB",
        "ABILITYSTORE_SYNC_ON_START", "FALSE"));
    assertThat(settings.secondaryTimeout()).isEqualTo(Duration.ofMillis(750));
    assertThat(settings.queueMaxBytes()).isEqualTo(512L << 20);
    assertThat(settings.syncOnStart()).isFalse();
    assertThat(settings.withSyncOnStart(true).syncOnStart()).isTrue();
    assertThat(settings.withSyncOnStart(true).queueMaxBytes()).isEqualTo(512L << 20);
  }

  @Test
  void byteSize_plainBytesAndBinarySuffixes() {
    assertThat(Settings.byteSize("X", "2147483648", 1)).isEqualTo(2_147_483_648L);
    assertThat(Settings.byteSize("X", "1GiB", 1)).isEqualTo(1L << 30);
    assertThat(Settings.byteSize("X", "1gb", 1)).isEqualTo(1L << 30);
    assertThat(Settings.byteSize("X", "64 MiB", 1)).isEqualTo(64L << 20);
    assertThat(Settings.byteSize("X", "512k", 1)).isEqualTo(512L << 10);
    assertThat(Settings.byteSize("X", "2TiB", 1)).isEqualTo(2L << 40);
    assertThat(Settings.byteSize("X", "100B", 1)).isEqualTo(100);
  }

  @Test
  void from_badStoreSettings_nameTheVariable() {
    assertThatThrownBy(() -> Settings.from(Map.of("ABILITYSTORE_SECONDARY_TIMEOUT", "0s")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("ABILITYSTORE_SECONDARY_TIMEOUT must be a positive duration");
    assertThatThrownBy(() -> Settings.from(Map.of("ABILITYSTORE_QUEUE_MAX_BYTES", "lots")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("ABILITYSTORE_QUEUE_MAX_BYTES must be a size of at least 1MiB, in bytes or with a suffix such as "
            + "512MiB or 1GiB, was 'lots'");
    assertThatThrownBy(() -> Settings.from(Map.of("ABILITYSTORE_QUEUE_MAX_BYTES", "512KiB")))
        .hasMessageContaining("at least 1MiB");
    assertThatThrownBy(() -> Settings.from(Map.of("ABILITYSTORE_QUEUE_MAX_BYTES", "999999999999999TiB")))
        .hasMessageContaining("ABILITYSTORE_QUEUE_MAX_BYTES must be a size");
    assertThatThrownBy(() -> Settings.from(Map.of("ABILITYSTORE_QUEUE_MAX_BYTES", "-1")))
        .hasMessageContaining("ABILITYSTORE_QUEUE_MAX_BYTES must be a size");
    assertThatThrownBy(() -> Settings.from(Map.of("ABILITYSTORE_SYNC_ON_START", "maybe")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("ABILITYSTORE_SYNC_ON_START must be true or false, was 'maybe'");
  }

  @Test
  void from_serverSettings() {
    Settings.Http http = Settings.from(Map.of(
        "ABILITYSTORE_HOST", "0.0.0.0",
        "ABILITYSTORE_PORT", "0",
        "ABILITYSTORE_API_KEYS", " key-one-secret, key-two-secret ,",
        "ABILITYSTORE_OPEN_READS", "TRUE",
        "ABILITYSTORE_MAX_BODY_BYTES", "16MiB")).http();
    assertThat(http).isEqualTo(new Settings.Http("0.0.0.0", 0, List.of("key-one-secret", "key-two-secret"), true,
        16L << 20));
    assertThat(Settings.from(Map.of("ABILITYSTORE_HOST", "[::1]")).http().host()).isEqualTo("::1");
  }

  @Test
  void toString_masksTheApiKeys() {
    Settings settings = Settings.from(Map.of("ABILITYSTORE_API_KEYS", "first-secret-key,second-secret-key"));
    assertThat(settings.toString()).contains("apiKeys=2 (masked)").doesNotContain("secret");
    Settings.Remote remote = Settings.remote(Map.of("ABILITYSTORE_URL", "http://h:8080",
        "ABILITYSTORE_API_KEY", "client-secret-key"));
    assertThat(remote.toString()).doesNotContain("secret");
  }

  @Test
  void from_badServerSettings_nameTheVariable_neverShowAKey() {
    assertThatThrownBy(() -> Settings.from(Map.of("ABILITYSTORE_PORT", "65536")))
        .hasMessage("ABILITYSTORE_PORT must be a whole number from 0 to 65535, was '65536'");
    assertThatThrownBy(() -> Settings.from(Map.of("ABILITYSTORE_PORT", "http")))
        .hasMessageContaining("ABILITYSTORE_PORT must be a whole number");
    assertThatThrownBy(() -> Settings.from(Map.of("ABILITYSTORE_HOST", "http://example.com")))
        .hasMessageContaining("ABILITYSTORE_HOST must be a host name or an IP address");
    assertThatThrownBy(() -> Settings.from(Map.of("ABILITYSTORE_OPEN_READS", "yes")))
        .hasMessage("ABILITYSTORE_OPEN_READS must be true or false, was 'yes'");
    assertThatThrownBy(() -> Settings.from(Map.of("ABILITYSTORE_MAX_BODY_BYTES", "1KiB")))
        .hasMessageContaining("ABILITYSTORE_MAX_BODY_BYTES must be a size of at least 64KiB");
    assertThatThrownBy(() -> Settings.from(Map.of("ABILITYSTORE_API_KEYS", "good-key,bad key-secret")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("ABILITYSTORE_API_KEYS: key 2 of 2 contains white space or control characters; separate keys "
            + "with commas");
    assertThatThrownBy(() -> Settings.from(Map.of("ABILITYSTORE_API_KEYS", " , ")))
        .hasMessage("ABILITYSTORE_API_KEYS must list at least one key, separated by commas");
  }

  @Test
  void remote_readsTheUrlAndKey() {
    Settings.Remote remote = Settings.remote(Map.of("ABILITYSTORE_URL", " https://abilities.example:8443/ ",
        "ABILITYSTORE_API_KEY", "k1"));
    assertThat(remote.url()).isEqualTo(URI.create("https://abilities.example:8443"));
    assertThat(remote.apiKey()).isEqualTo("k1");
    assertThat(Settings.remote(Map.of("ABILITYSTORE_URL", "http://127.0.0.1:8080")).apiKey()).isNull();
    assertThat(Settings.remote(Map.of("ABILITYSTORE_URL", "http://127.0.0.1:8080", "ABILITYSTORE_EMBEDDER", "magic")))
        .as("a client needs none of the store's settings").isNotNull();
    assertThatThrownBy(() -> Settings.remote(Map.of("ABILITYSTORE_URL", "localhost:8080")))
        .hasMessage("ABILITYSTORE_URL must be an http:// or https:// URL such as http://127.0.0.1:8080, was "
            + "'localhost:8080'");
    assertThatThrownBy(() -> Settings.remote(Map.of("ABILITYSTORE_URL", "http://h:1/?x=1")))
        .hasMessageContaining("ABILITYSTORE_URL must be an http:// or https:// URL");
    assertThatThrownBy(() -> Settings.remote(Map.of("ABILITYSTORE_URL", "http://h:1", "ABILITYSTORE_API_KEY",
        "two words"))).hasMessage("ABILITYSTORE_API_KEY must be one key without white space or control characters");
  }

  @Test
  void vectorDb_unsetMeansTheLuceneIndex() {
    assertThat(Settings.from(Map.of()).vectorDb()).isNull();
    assertThat(Settings.from(Map.of("VECTOR_DB_API", " ", "VECTOR_DB_TENANT", "t")).vectorDb()).isNull();
  }

  @Test
  void vectorDb_readsTheApiAndTheTenantWithTheOriginalsDefault() {
    Settings.VectorDb vectorDb = Settings.from(Map.of("VECTOR_DB_API", " https://vectors.example:8443/api/ "))
        .vectorDb();
    assertThat(vectorDb).isEqualTo(new Settings.VectorDb(URI.create("https://vectors.example:8443/api"),
        "reverse_engineer"));
    assertThat(Settings.from(Map.of("VECTOR_DB_API", "http://127.0.0.1:9000", "VECTOR_DB_TENANT", "team-a.prod"))
        .vectorDb()).isEqualTo(new Settings.VectorDb(URI.create("http://127.0.0.1:9000"), "team-a.prod"));
    assertThat(Settings.from(Map.of("VECTOR_DB_API", "http://h:1")).withSyncOnStart(false).vectorDb())
        .isNotNull();
  }

  @Test
  void vectorDb_refusesABadUrlOrTenantNamingTheVariable() {
    assertThatThrownBy(() -> Settings.from(Map.of("VECTOR_DB_API", "infraxa:9000")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("VECTOR_DB_API must be an http:// or https:// URL such as https://infraxa.example.com, was "
            + "'infraxa:9000'");
    assertThatThrownBy(() -> Settings.from(Map.of("VECTOR_DB_API", "ftp://h/x")))
        .hasMessageStartingWith("VECTOR_DB_API must be an http:// or https:// URL");
    assertThatThrownBy(() -> Settings.from(Map.of("VECTOR_DB_API", "http://user:secret@h:1")))
        .hasMessageStartingWith("VECTOR_DB_API must be");
    assertThatThrownBy(() -> Settings.from(Map.of("VECTOR_DB_API", "http://h:1", "VECTOR_DB_TENANT", "a b")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("VECTOR_DB_TENANT must be 1 to 128 letters, digits, '_', '.' or '-', was 'a b'");
  }
}
