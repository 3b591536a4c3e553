package dev.abilitystore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.port.EmbedderStamp;
import dev.abilitystore.port.WriteOutcome;
import dev.abilitystore.postgres.testing.PostgresDatabase;
import dev.abilitystore.postgres.testing.TestPostgres;
import dev.abilitystore.testing.Abilities;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MigrationTest {
  @RegisterExtension
  static final PostgresDatabase database = new PostgresDatabase();

  /** The original system's DDL, verbatim from its setup guide. */
  private static final String ORIGINAL_DDL = """
      CREATE TABLE abilities (
        ability_id TEXT PRIMARY KEY,
        vector_id INTEGER NOT NULL,
        ability_name TEXT NOT NULL,
        service_name TEXT NOT NULL,
        description TEXT NOT NULL,
        embedding JSONB NOT NULL,              -- 3072-dimension array
        dynamic_header_keys JSONB DEFAULT '[]',
        dynamic_headers_required BOOLEAN DEFAULT false,
        metadata JSONB DEFAULT '{}',
        created_at TIMESTAMP DEFAULT NOW(),
        updated_at TIMESTAMP DEFAULT NOW()
      );
      CREATE INDEX idx_abilities_service_name ON abilities(service_name);
      CREATE INDEX idx_abilities_dynamic_headers ON abilities(dynamic_headers_required);
      """;

  @BeforeEach
  void emptyDatabase() {
    database.reset();
  }

  private List<String> rows(String sql) throws SQLException {
    try (Connection connection = TestPostgres.connect(database.config());
        PreparedStatement statement = connection.prepareStatement(sql);
        ResultSet rows = statement.executeQuery()) {
      List<String> result = new ArrayList<>();
      int columns = rows.getMetaData().getColumnCount();
      while (rows.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          values.add(rows.getString(i));
        }
        result.add(String.join("|", values));
      }
      return result;
    }
  }

  @Test
  void migrate_emptyDatabase_createsTheOriginalTableExactly() throws SQLException {
    try (PostgresRecordStore store = PostgresRecordStore.open(database.config())) {
      assertThat(rows("SELECT version FROM " + SchemaMigrator.HISTORY_TABLE + " WHERE success ORDER BY installed_rank"))
          .containsExactly("1", "2", "3", "4", "5");
    }
    assertThat(rows("""
        SELECT column_name, data_type, is_nullable, coalesce(column_default, '')
        FROM information_schema.columns WHERE table_name = 'abilities' ORDER BY ordinal_position"""))
        .containsExactly(
            "ability_id|text|NO|",
            "vector_id|integer|NO|",
            "ability_name|text|NO|",
            "service_name|text|NO|",
            "description|text|NO|",
            "embedding|jsonb|NO|",
            "dynamic_header_keys|jsonb|YES|'[]'::jsonb",
            "dynamic_headers_required|boolean|YES|false",
            "metadata|jsonb|YES|'{}'::jsonb",
            "created_at|timestamp without time zone|YES|now()",
            "updated_at|timestamp without time zone|YES|now()",
            "content_hash|text|YES|");
    assertThat(rows("SELECT indexname FROM pg_indexes WHERE tablename = 'abilities'"))
        .contains("abilities_pkey", "idx_abilities_service_name", "idx_abilities_dynamic_headers",
            "idx_abilities_ability_id_c");
  }

  @Test
  void migrate_twice_appliesNothingTheSecondTime() {
    try (PostgresRecordStore store = PostgresRecordStore.open(database.config())) {
      MigrationReport again = store.migrate();
      assertThat(again.applied()).isEmpty();
      assertThat(again.schemaVersion()).isEqualTo("5");
    }
  }

  @Test
  void migrate_concurrentStarts_migrateOnce() {
    List<CompletableFuture<PostgresRecordStore>> starts = List.of(
        CompletableFuture.supplyAsync(() -> PostgresRecordStore.open(database.config())),
        CompletableFuture.supplyAsync(() -> PostgresRecordStore.open(database.config())),
        CompletableFuture.supplyAsync(() -> PostgresRecordStore.open(database.config())));
    starts.forEach(start -> start.join().close());
    assertThat(database.queryLong("SELECT count(*) FROM " + SchemaMigrator.HISTORY_TABLE + " WHERE version = '3'"))
        .isOne();
  }

  @Test
  void migrate_databaseOfTheOriginalSystemWithRows_keepsAndReadsThem() throws SQLException {
    database.execute(ORIGINAL_DDL);
    database.execute("""
        INSERT INTO abilities (ability_id, vector_id, ability_name, service_name, description, embedding,
            dynamic_header_keys, dynamic_headers_required, metadata, created_at, updated_at)
        VALUES ('github-get-user', 1008771826, 'Get GitHub User', 'github', 'Fetch user profile from GitHub',
            '[0.1234567890123, -0.5, 1e-3]', '["api.github.com::authorization"]', true,
            '{"dynamic_header_keys": ["api.github.com::authorization"], "request_method": "GET"}',
            '2025-10-01 12:00:00', '2025-10-02 12:00:00')""");
    database.execute("""
        INSERT INTO abilities (ability_id, vector_id, ability_name, service_name, description, embedding)
        VALUES ('minimal', 1, 'Minimal', 'svc', '', '[1]')""");
    database.execute("""
        INSERT INTO abilities (ability_id, vector_id, ability_name, service_name, description, embedding,
            dynamic_header_keys, metadata, created_at, updated_at)
        VALUES ('nulls', 2, 'Nulls', 'svc', 'd', '[1, 2]', NULL, NULL, NULL, NULL)""");

    try (PostgresRecordStore store = PostgresRecordStore.open(database.config())) {
      Ability original = store.get("github-get-user").orElseThrow();
      assertThat(original.embedding().toArray()).containsExactly(0.1234567890123f, -0.5f, 1e-3f);
      assertThat(original.dynamicHeaderKeys()).containsExactly("api.github.com::authorization");
      assertThat(original.createdAt()).isEqualTo(Instant.parse("2025-10-01T12:00:00Z"));
      assertThat(store.get("minimal").orElseThrow().dynamicHeaderKeys()).isEmpty();
      Ability nulls = store.get("nulls").orElseThrow();
      assertThat(nulls.metadata()).isEmpty();
      assertThat(nulls.createdAt()).isNull();
      assertThat(store.count(AbilityFilter.ALL)).isEqualTo(3);
      assertThat(store.query(AbilityQuery.firstPage(AbilityFilter.builder().service("github").build(), 10)).items())
          .extracting(Ability::abilityId).containsExactly("github-get-user");

      Ability replacement = original.toBuilder().description("Fetch a user's public profile").build();
      assertThat(store.upsert(List.of(replacement)).outcomes()).containsEntry("github-get-user", WriteOutcome.UPDATED);
      assertThat(store.get("github-get-user").orElseThrow().createdAt()).isEqualTo(Instant.parse("2025-10-01T12:00:00Z"));
      assertThat(store.upsert(List.of(replacement)).outcomes()).containsEntry("github-get-user",
          WriteOutcome.UNCHANGED);
    }
    assertThat(rows("SELECT version FROM " + SchemaMigrator.HISTORY_TABLE + " WHERE success ORDER BY installed_rank"))
        .containsExactly("0", "1", "2", "3", "4", "5");
  }

  @Test
  void migrate_databaseAtV2_appliesTheLaterMigrationsAndKeepsTheRows() throws SQLException {
    try (HikariDataSource atV2 = new HikariDataSource(database.config().hikari("test-v2", 2, "SELECT 1"))) {
      SchemaMigrator.configure(atV2).target("2").load().migrate();
    }
    database.execute("""
        INSERT INTO abilities (ability_id, vector_id, ability_name, service_name, description, embedding)
        VALUES ('kept', 1, 'Kept', 'svc', 'd', '[1, 2]')""");
    assertThat(database.queryLong("SELECT count(*) FROM pg_tables WHERE tablename = 'abilitystore_settings'")).isZero();

    try (PostgresRecordStore store = PostgresRecordStore.open(database.config().toBuilder().migrate(false).build())) {
      MigrationReport report = store.migrate();

      assertThat(report.applied()).containsExactly("V3 settings", "V4 usage", "V5 service scan order");
      assertThat(report.schemaVersion()).isEqualTo("5");
      assertThat(store.get("kept")).isPresent();
      assertThat(store.recordedEmbedder()).isEmpty();
      store.recordEmbedder(new EmbedderStamp("bge-small-en-v1.5", 384));
      assertThat(store.recordedEmbedder()).contains(new EmbedderStamp("bge-small-en-v1.5", 384));
    }
    assertThat(rows("""
        SELECT column_name, data_type, is_nullable, coalesce(column_default, '')
        FROM information_schema.columns WHERE table_name = 'abilitystore_settings' ORDER BY ordinal_position"""))
        .containsExactly(
            "key|text|NO|",
            "value|text|NO|",
            "updated_at|timestamp with time zone|NO|now()");
  }

  @Test
  void theOriginalsQueries_workOnADatabaseCreatedByUs() throws SQLException {
    try (PostgresRecordStore store = PostgresRecordStore.open(database.config())) {
      store.upsert(List.of(Abilities.simple("github-get-user", "github", false, 4),
          Abilities.simple("github-create-issue", "github", true, 4)));
    }
    // The original's storeInPostgres: Drizzle insert ... onConflictDoUpdate, which knows nothing of content_hash.
    database.execute("""
        INSERT INTO abilities (ability_id, vector_id, ability_name, service_name, description, embedding,
            dynamic_header_keys, dynamic_headers_required, metadata, created_at, updated_at)
        VALUES ('slack-post-message', 42, 'Post Message', 'slack', 'Posts a message', '[0.5, 0.5, 0.5, 0.5]',
            '["slack.com::authorization"]', true, '{}', now(), now())
        ON CONFLICT (ability_id) DO UPDATE SET description = EXCLUDED.description, updated_at = now()""");
    // The README's psql queries and Drizzle's selects.
    assertThat(rows("SELECT ability_id, ability_name, service_name, dynamic_headers_required FROM abilities "
        + "ORDER BY created_at DESC, ability_id")).hasSize(3);
    assertThat(rows("SELECT service_name, COUNT(*) as count FROM abilities GROUP BY service_name ORDER BY 1"))
        .containsExactly("github|2", "slack|1");
    assertThat(rows("SELECT ability_id, ability_name FROM abilities WHERE dynamic_headers_required = true "
        + "ORDER BY 1")).containsExactly("github-create-issue|Ability github-create-issue",
        "slack-post-message|Post Message");
    assertThat(rows("SELECT * FROM abilities WHERE service_name = 'github'")).hasSize(2);

    try (PostgresRecordStore store = PostgresRecordStore.open(database.config())) {
      assertThat(store.get("slack-post-message").orElseThrow().dynamicHeaderKeys())
          .containsExactly("slack.com::authorization");
    }
  }
}
