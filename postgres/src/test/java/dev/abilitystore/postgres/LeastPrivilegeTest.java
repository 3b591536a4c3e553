package dev.abilitystore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.AbilityStoreException;
import dev.abilitystore.StoreRefusedException;
import dev.abilitystore.DeleteResult;
import dev.abilitystore.SearchRequest;
import dev.abilitystore.SearchResult;
import dev.abilitystore.SecondaryState;
import dev.abilitystore.StoreResult;
import dev.abilitystore.StoredAbility;
import dev.abilitystore.embed.HashingEmbedder;
import dev.abilitystore.port.SearchMode;
import dev.abilitystore.postgres.testing.PostgresDatabase;
import dev.abilitystore.sync.SyncDirection;
import dev.abilitystore.sync.SyncProgress;
import dev.abilitystore.sync.SyncReport;
import dev.abilitystore.testing.Abilities;
import dev.abilitystore.testing.InMemoryVectorIndex;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The privileges of {@code docs/postgres-privileges.md}, with real roles in a throwaway database:
 * a migration role that owns the schema migrates it, and a runtime role with only the rights the
 * document lists runs the store's whole cycle (store, get, query, failover search from PostgreSQL,
 * delete, sync, the embedder stamp, usage analytics, a restart that finds the schema current);
 * roles with less are refused at start-up with an error naming what they lack.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeastPrivilegeTest {
  @RegisterExtension
  static final PostgresDatabase database = new PostgresDatabase();

  private static final int DIMENSION = 16;
  private static final String SUFFIX = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private static final String MIGRATOR = "abilitystore_migrator_" + SUFFIX;
  private static final String APP = "abilitystore_app_" + SUFFIX;
  private static final String LESSER = "abilitystore_lesser_" + SUFFIX;
  private static final String PASSWORD = "pw" + SUFFIX;

  /**
   * What the document has the database's owner (or a superuser) run once: the database closed to
   * PUBLIC, CONNECT for both roles, CREATE on the database for the migration role (pg_trgm only),
   * and the schema given to the migration role.
   */
  static String ownerSetup(String database, String migrator, String runtime) {
    return """
        REVOKE ALL ON DATABASE %1$s FROM PUBLIC;
        GRANT CONNECT, CREATE ON DATABASE %1$s TO %2$s;
        GRANT CONNECT ON DATABASE %1$s TO %3$s;
        REVOKE ALL ON SCHEMA public FROM PUBLIC;
        ALTER SCHEMA public OWNER TO %2$s;
        """.formatted(database, migrator, runtime);
  }

  /** What the document has the migration role run after migrating, one statement a line. */
  static List<String> runtimeRoleGrants(String runtime) {
    return List.of(
        "GRANT USAGE ON SCHEMA public TO " + runtime,
        "GRANT SELECT, INSERT, UPDATE, DELETE ON abilities TO " + runtime,
        "GRANT SELECT, INSERT, UPDATE ON abilitystore_settings, abilitystore_usage, abilitystore_usage_totals TO "
            + runtime,
        "GRANT SELECT ON abilitystore_schema_history TO " + runtime);
  }

  @TempDir Path dataDirectory;

  @BeforeAll
  static void rolesAndMigration() {
    for (String role : List.of(MIGRATOR, APP, LESSER)) {
      database.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + PASSWORD + "'");
    }
    database.execute(ownerSetup(database.config().database(), MIGRATOR, APP));
    database.execute("GRANT CONNECT ON DATABASE " + database.config().database() + " TO " + LESSER);
    try (PostgresRecordStore migrated = PostgresRecordStore.open(as(MIGRATOR))) {
      assertThat(migrated.migrate().schemaVersion()).isEqualTo("5");
    }
    assertThat(database.queryLong("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = '"
        + MIGRATOR + "'")).as("tables the migration role owns").isEqualTo(5);
    assertThat(database.queryLong("SELECT count(*) FROM pg_indexes WHERE indexname = 'idx_abilities_name_trgm'"))
        .as("pg_trgm, a trusted extension, installed with CREATE on the database").isEqualTo(1);
    asMigrator(runtimeRoleGrants(APP));
    // Hardening that must not matter: the trigger function runs for the runtime role's updates without EXECUTE.
    asMigrator(List.of("REVOKE EXECUTE ON FUNCTION abilitystore_clear_stale_content_hash() FROM PUBLIC"));
  }

  private static void asMigrator(List<String> statements) {
    try (var connection = dev.abilitystore.postgres.testing.TestPostgres.connect(as(MIGRATOR));
        var statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void dropRoles() {
    for (String role : List.of(APP, LESSER, MIGRATOR)) {
      database.execute("REASSIGN OWNED BY " + role + " TO CURRENT_USER; DROP OWNED BY " + role + "; DROP ROLE "
          + role);
    }
  }

  private static PostgresConfig as(String role) {
    return database.config().toBuilder().user(role).password(PASSWORD).maximumPoolSize(3)
        .connectionTimeout(Duration.ofSeconds(3)).build();
  }

  private AbilityStore openStore(InMemoryVectorIndex index, String role) {
    PostgresRecordStore records = PostgresRecordStore.open(as(role));
    return AbilityStore.builder().primary(index).secondary(records).usageStore(records.usageStore())
        .embedder(new HashingEmbedder(DIMENSION)).dataDirectory(dataDirectory).secondaryTimeout(Duration.ofSeconds(5))
        .syncOnStart(false).build();
  }

  @Test
  @Order(1)
  void runtimeRole_withTheDocumentedPrivileges_runsTheWholeCycle() {
    InMemoryVectorIndex index = new InMemoryVectorIndex(DIMENSION, InstantSource.system());
    List<Ability> abilities = new ArrayList<>();
    // 24: batches of 16 or more take the bulk path (COPY FROM STDIN, which needs INSERT only)
    for (int i = 0; i < 24; i++) {
      abilities.add(Abilities.simple(String.format("priv-%02d", i), i % 2 == 0 ? "github" : "slack", i % 3 == 0,
          DIMENSION));
    }
    try (AbilityStore store = openStore(index, APP)) {
      StoreResult stored = store.store(abilities);
      assertThat(stored.results()).extracting(StoredAbility::secondary).containsOnly(SecondaryState.STORED);
      assertThat(store.get("priv-03")).isPresent();
      assertThat(store.query(AbilityQuery.firstPage(AbilityFilter.ALL, 100)).items()).hasSize(24);
      assertThat(store.query(AbilityQuery.firstPage(AbilityFilter.builder().service("github").textContains("priv")
          .build(), 100)).items()).hasSize(12);
      assertThat(store.serviceCounts()).hasSize(2);

      index.down(true);
      SearchResult failover = store.search(SearchRequest.text("github").withMode(SearchMode.VECTOR).withK(5));
      index.down(false);
      assertThat(failover.degraded()).as("answered from PostgreSQL's embeddings").isTrue();
      assertThat(failover.hits()).hasSize(5);

      DeleteResult deleted = store.delete(List.of("priv-00"));
      assertThat(deleted.secondary()).isEqualTo(SecondaryState.STORED);

      // Drift made by hand: a row missing, a row stale, a row extra. Sync repairs all three as the runtime role.
      database.execute("DELETE FROM abilities WHERE ability_id = 'priv-01'");
      database.execute("UPDATE abilities SET description = 'edited by hand' WHERE ability_id = 'priv-02'");
      database.execute("INSERT INTO abilities SELECT 'priv-extra', vector_id + 1, ability_name, service_name, "
          + "description, embedding, dynamic_header_keys, dynamic_headers_required, metadata, created_at, updated_at, "
          + "content_hash FROM abilities WHERE ability_id = 'priv-03'");
      SyncReport sync = store.sync(SyncDirection.PRIMARY_TO_SECONDARY, false, SyncProgress.NONE);
      assertThat(sync.repaired()).isEqualTo(3);
      assertThat(database.queryLong("SELECT count(*) FROM abilities")).isEqualTo(23);

      assertThat(store.usage(10).topAbilities()).isNotEmpty();
      assertThat(store.stats().secondaryCount()).isEqualTo(23);
    }
    assertThat(database.queryLong("SELECT count(*) FROM abilitystore_usage")).as("usage flushed").isPositive();
    assertThat(database.queryLong("SELECT count(*) FROM abilitystore_settings WHERE key = 'embedder.model'"))
        .as("the embedder stamp").isEqualTo(1);

    // A restart: the schema is current, so the runtime role's start-up migration check needs no DDL.
    try (AbilityStore reopened = openStore(index, APP)) {
      assertThat(reopened.get("priv-05")).isPresent();
    }
  }

  @Test
  @Order(2)
  void roleWithoutDelete_isRefusedAtStartUp_namingWhatItLacks() {
    grantRuntimeExcept(LESSER, "GRANT SELECT, INSERT, UPDATE, DELETE ON abilities",
        "GRANT SELECT, INSERT, UPDATE ON abilities TO " + LESSER);
    assertThatThrownBy(() -> PostgresRecordStore.open(as(LESSER)))
        .isInstanceOf(AbilityStoreException.class)
        .hasMessageContaining(LESSER).hasMessageContaining("DELETE on abilities")
        .hasMessageContaining("GRANT DELETE ON abilities TO " + LESSER);
  }

  @Test
  @Order(3)
  void roleWithoutDelete_failsEachDeleteWithPermissionDenied_whenTheCheckIsSkipped() {
    // migrate(false): what a caller that manages the schema itself opens; no start-up check runs.
    try (PostgresRecordStore records = PostgresRecordStore.open(as(LESSER).toBuilder().migrate(false).build())) {
      records.upsert(List.of(Abilities.simple("lesser-1", "github", false, DIMENSION)));
      assertThatThrownBy(() -> records.delete(List.of("lesser-1")))
          .isInstanceOf(StoreRefusedException.class).hasMessageContaining("permission denied for table abilities")
          .hasMessageContaining("docs/postgres-privileges.md");
    }
  }

  @Test
  @Order(4)
  void roleWithoutUsageTables_isRefusedAtStartUp() {
    grantRuntimeExcept(LESSER, "GRANT SELECT, INSERT, UPDATE ON abilitystore_settings",
        "GRANT SELECT, INSERT, UPDATE ON abilitystore_settings TO " + LESSER);
    assertThatThrownBy(() -> PostgresRecordStore.open(as(LESSER)))
        .isInstanceOf(AbilityStoreException.class)
        .hasMessageContaining("INSERT on abilitystore_usage").hasMessageContaining("UPDATE on abilitystore_usage_totals");
  }

  @Test
  @Order(5)
  void roleWithoutSchemaUsage_isRefusedAtStartUp() {
    grantRuntimeExcept(LESSER, "GRANT USAGE ON SCHEMA public", "SELECT 1");
    assertThatThrownBy(() -> PostgresRecordStore.open(as(LESSER)))
        .isInstanceOf(AbilityStoreException.class).hasMessageContaining("USAGE on schema public");
  }

  @Test
  @Order(6)
  void roleThatMayNotReadTheMigrationHistory_isRefusedAtStartUp() {
    grantRuntimeExcept(LESSER, "GRANT SELECT ON abilitystore_schema_history", "SELECT 1");
    assertThatThrownBy(() -> PostgresRecordStore.open(as(LESSER)))
        .isInstanceOf(AbilityStoreException.class).hasMessageContaining("may not read the migration history")
        .hasMessageContaining("GRANT SELECT ON abilitystore_schema_history TO " + LESSER);
  }

  @Test
  @Order(7)
  void runtimeRole_cannotMigrate_pendingMigrationsNeedTheMigrationRole() {
    // Pretend the latest migration is pending: the runtime role cannot apply it and says to run the migration as its owner.
    database.execute("DELETE FROM abilitystore_schema_history WHERE installed_rank = "
        + "(SELECT max(installed_rank) FROM abilitystore_schema_history)");
    try {
      assertThatThrownBy(() -> PostgresRecordStore.open(as(APP)))
          .isInstanceOf(AbilityStoreException.class).hasMessageContaining("cannot migrate");
    } finally {
      try (PostgresRecordStore migrated = PostgresRecordStore.open(as(MIGRATOR))) {
        assertThat(migrated.migrate().schemaVersion()).isEqualTo("5");
      }
    }
  }

  /** Grants the runtime role's privileges to {@code role} afresh, the statement starting {@code statement} replaced. */
  private static void grantRuntimeExcept(String role, String statement, String replacement) {
    List<String> grants = new ArrayList<>(List.of("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM " + role,
        "REVOKE USAGE ON SCHEMA public FROM " + role));
    List<String> runtime = runtimeRoleGrants(role);
    assertThat(runtime).anyMatch(line -> line.startsWith(statement));
    runtime.forEach(line -> grants.add(line.startsWith(statement) ? replacement : line));
    asMigrator(grants);
  }
}
