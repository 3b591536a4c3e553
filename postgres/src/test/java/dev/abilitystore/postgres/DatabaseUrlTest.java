package dev.abilitystore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseUrlTest {

  @Test
  void parse_fullLibpqUri() {
    PostgresConfig config = DatabaseUrl.parse("postgresql://alice:s3cret@db.example.com:6543/reverse_engineer"
        + "?sslmode=verify-full&application_name=ability%20store&connect_timeout=7").build();
    assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6543/reverse_engineer");
    assertThat(config.user()).isEqualTo("alice");
    assertThat(config.password()).isEqualTo("s3cret");
    assertThat(config.properties()).containsEntry("sslmode", "verify-full")
        .containsEntry("ApplicationName", "ability store").containsEntry("connectTimeout", "7");
  }

  @Test
  void parse_percentEncodedPasswordWithReservedCharacters() {
    PostgresConfig config = DatabaseUrl.parse("postgres://bob:p%40ss%3Aw%2Fo+rd%25@localhost/db").build();
    assertThat(config.password()).isEqualTo("p@ss:w/o+rd%");
    assertThat(config.toString()).doesNotContain("p@ss");
  }

  @Test
  void parse_defaults_matchLibpq() {
    PostgresConfig config = DatabaseUrl.parse("postgresql://").build();
    assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/postgres");
    assertThat(config.user()).isNull();
    assertThat(DatabaseUrl.parse("postgresql://carol@host").build().database()).isEqualTo("carol");
    assertThat(DatabaseUrl.parse("postgresql://host/").build().jdbcUrl()).isEqualTo("jdbc:postgresql://host:5432/postgres");
  }

  @Test
  void parse_ipv6AndSeveralHosts() {
    assertThat(DatabaseUrl.parse("postgresql://[::1]:5433,[2001:db8::5],other:5434/db?target_session_attrs=read-write")
        .build()).satisfies(config -> {
          assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5433,[2001:db8::5]:5432,other:5434/db");
          assertThat(config.properties()).containsEntry("targetServerType", "primary");
        });
  }

  @Test
  void parse_parametersOverrideTheAuthority() {
    PostgresConfig config = DatabaseUrl.parse("postgresql:///ignored?host=10.0.0.5&port=7000&user=u&password=p"
        + "&dbname=real").build();
    assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://10.0.0.5:7000/real");
    assertThat(config.user()).isEqualTo("u");
    assertThat(config.password()).isEqualTo("p");
  }

  @Test
  void parse_databaseNameWithSpaces_isEncodedForJdbc() {
    assertThat(DatabaseUrl.parse("postgresql://h/my%20db").build().jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/my%20db");
  }

  @Test
  void parse_pgjdbcPropertiesPassThrough() {
    assertThat(DatabaseUrl.parse("postgresql://h/db?prepareThreshold=0&sslrootcert=/etc/ca.pem").build().properties())
        .containsEntry("prepareThreshold", "0").containsEntry("sslrootcert", "/etc/ca.pem");
  }

  @Test
  void parse_jdbcUrl() {
    PostgresConfig config = DatabaseUrl.parse("jdbc:postgresql://h1:5433,h2/abilities?user=dave&password=x&sslmode=require")
        .build();
    assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://h1:5433,h2:5432/abilities");
    assertThat(config.user()).isEqualTo("dave");
    assertThat(config.password()).isEqualTo("x");
    assertThat(config.properties()).containsEntry("sslmode", "require").doesNotContainKeys("user", "password");
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql://u:p@h/db", "localhost:5432/db", "", "http://h/db"})
  void parse_otherSchemes_sayWhatIsAccepted(String url) {
    assertThatThrownBy(() -> DatabaseUrl.parse(url)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("must start with postgresql://");
  }

  @Test
  void parse_errors_nameTheProblemButNeverThePassword() {
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:topsecret@h:99999/db"))
        .hasMessageContaining("port must be a number from 1 to 65535").hasMessageNotContaining("topsecret");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:topsecret@h/db?sslmode=sometimes"))
        .hasMessageContaining("sslmode must be one of").hasMessageNotContaining("topsecret");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:top%ZZsecret@h/db"))
        .hasMessageContaining("password has a malformed percent-escape").hasMessageNotContaining("top");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/db?frobnicate=1"))
        .hasMessageContaining("unknown parameter 'frobnicate'");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/db?host=/var/run/postgresql"))
        .hasMessageContaining("Unix-domain socket");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://[::1/db")).hasMessageContaining("without closing it");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/db?sslmode")).hasMessageContaining("has no value");
  }

  @Test
  void parse_fuzzedInput_neverFailsWithAnythingButInvalidInput() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(42);
    String alphabet = "postgresql:/@[]%:?&=,.0123456789abcdefABCDEF-_~+ \u00e9\u0000";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder url = new StringBuilder(random.nextBoolean() ? "postgresql://" : "");
      int length = random.nextInt(40);
      for (int j = 0; j < length; j++) {
        url.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      try {
        DatabaseUrl.parse(url.toString()).build();
      } catch (InvalidInputException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
  }
}
