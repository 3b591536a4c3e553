package dev.abilitystore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityStoreException;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.port.EmbedderStamp;
import dev.abilitystore.port.RecordStore;
import dev.abilitystore.port.RecordStoreContract;
import dev.abilitystore.port.WriteOutcome;
import dev.abilitystore.postgres.testing.PostgresDatabase;
import dev.abilitystore.postgres.testing.TestPostgres;
import dev.abilitystore.testing.Abilities;
import dev.abilitystore.testing.MutableClock;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresRecordStoreTest extends RecordStoreContract {
  @RegisterExtension
  static final PostgresDatabase database = new PostgresDatabase();

  @Override
  protected RecordStore openEmptyStore(MutableClock clock) {
    PostgresRecordStore opened = PostgresRecordStore.open(database.config(), clock);
    database.execute("TRUNCATE abilities, abilitystore_settings");
    return opened;
  }

  private PostgresRecordStore postgres() {
    return (PostgresRecordStore) store;
  }

  @Test
  void upsert_unchangedHash_writesNoNewRowVersion() {
    Ability ability = Abilities.full("a", DIMENSION);
    store.upsert(List.of(ability));
    long before = database.queryLong("SELECT xmin::text::bigint FROM abilities WHERE ability_id = 'a'");

    store.upsert(List.of(ability));

    assertThat(database.queryLong("SELECT xmin::text::bigint FROM abilities WHERE ability_id = 'a'"))
        .isEqualTo(before);
  }

  @Test
  void upsert_storesTheContentHashAndTheOriginalsDerivedColumns() {
    Ability ability = Abilities.full("github-get-user", DIMENSION);
    store.upsert(List.of(ability));
    assertThat(database.queryLong("SELECT count(*) FROM abilities WHERE ability_id = 'github-get-user' "
        + "AND vector_id = 1008771826 AND dynamic_headers_required AND content_hash = '"
        + dev.abilitystore.identity.ContentHash.of(ability) + "' AND jsonb_array_length(embedding) = " + DIMENSION
        + " AND metadata->>'request_method' = 'GET'")).isOne();
  }

  @Test
  void foreignUpdateWithoutHash_clearsTheStaleHash_andOurNextUpsertRepairsTheRow() {
    Ability ability = Abilities.full("a", DIMENSION);
    store.upsert(List.of(ability));

    database.execute("UPDATE abilities SET description = 'edited by hand' WHERE ability_id = 'a'");

    assertThat(database.queryLong("SELECT count(*) FROM abilities WHERE content_hash IS NULL")).isOne();
    assertThat(store.upsert(List.of(ability)).outcomes()).containsEntry("a", WriteOutcome.UPDATED);
    assertThat(store.get("a").orElseThrow().description()).isEqualTo(ability.description());
  }

  @Test
  void getAll_moreIdsThanOneQueryTakes_findsThemInEveryChunk() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 25_000; i++) {
      ids.add("missing-" + i);
    }
    ids.set(0, "first");
    ids.set(12_345, "middle");
    ids.set(24_999, "last");
    ids.add("middle");
    store.upsert(List.of(Abilities.simple("first", "s", false, DIMENSION),
        Abilities.simple("middle", "s", false, DIMENSION), Abilities.simple("last", "s", false, DIMENSION)));

    assertThat(store.getAll(ids)).extracting(Ability::abilityId).containsExactlyInAnyOrder("first", "middle", "last");
  }

  @Test
  void abilityIdsAfter_pagesTheIdsInCodePointOrder() {
    for (String id : List.of("b", "a", "B", "\u00e9", "a-2", "Z")) {
      store.upsert(List.of(Abilities.simple(id, "s", false, DIMENSION)));
    }

    assertThat(postgres().abilityIdsAfter(null, 3)).containsExactly("B", "Z", "a");
    assertThat(postgres().abilityIdsAfter("a", 10)).containsExactly("a-2", "b", "\u00e9");
    assertThat(postgres().abilityIdsAfter("\u00e9", 10)).isEmpty();
    assertThat(postgres().abilityIdsAfter("A", 1)).containsExactly("B");
    assertThatThrownBy(() -> postgres().abilityIdsAfter(null, 0)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void recordEmbedder_writesBothSettingsAndReplacesThem() {
    store.recordEmbedder(new EmbedderStamp("bge-small-en-v1.5", 384));
    store.recordEmbedder(new EmbedderStamp("text-embedding-3-large", 3072));

    assertThat(database.queryLong("SELECT count(*) FROM abilitystore_settings")).isEqualTo(2);
    assertThat(database.queryLong("SELECT value::int FROM abilitystore_settings WHERE key = 'embedder.dimension'"))
        .isEqualTo(3072);
  }

  @Test
  void recordedEmbedder_damagedByHand_saysWhatToDo() {
    store.recordEmbedder(new EmbedderStamp("bge-small-en-v1.5", 384));
    database.execute("UPDATE abilitystore_settings SET value = 'many' WHERE key = 'embedder.dimension'");

    assertThatThrownBy(store::recordedEmbedder).isInstanceOf(AbilityStoreException.class)
        .hasMessageContaining("embedder.dimension = 'many'").hasMessageContaining("delete both rows");
  }

  @Test
  void everyOperation_survivesTerminationOfEveryPoolConnection() {
    for (int round = 0; round < 5; round++) {
      store.upsert(List.of(Abilities.simple("warm-" + round, "s", false, DIMENSION)));
      assertThat(store.count(AbilityFilter.ALL)).isEqualTo(round + 1);

      long terminated = database.queryLong("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
          + "WHERE datname = current_database() AND pid <> pg_backend_pid()");

      assertThat(terminated).as("pool connections terminated").isPositive();
      assertThat(store.get("warm-" + round)).isPresent();
      assertThat(store.upsert(List.of(Abilities.simple("after-" + round, "s", false, DIMENSION))).inserted()).isOne();
      assertThat(store.delete(List.of("after-" + round))).isOne();
      assertThat(store.health().isUp()).isTrue();
    }
  }

  @Test
  @Timeout(30)
  void statementTimeout_endsAStatementThatWaitsTooLong() throws Exception {
    PostgresConfig impatient = database.config().toBuilder().statementTimeout(Duration.ofMillis(300)).build();
    try (PostgresRecordStore shortLived = PostgresRecordStore.open(impatient);
        Connection locker = TestPostgres.connect(database.config());
        Statement lock = locker.createStatement()) {
      locker.setAutoCommit(false);
      lock.execute("LOCK TABLE abilities IN ACCESS EXCLUSIVE MODE");
      assertThatThrownBy(() -> shortLived.count(AbilityFilter.ALL))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("did not finish count within the statement timeout");
      locker.rollback();
    }
  }

  @Test
  void open_unreachableServer_failsNamingTheServerAndTheFix() {
    PostgresConfig nowhere = PostgresConfig.builder("abilitystore").hosts(List.of("127.0.0.1:1"))
        .connectionTimeout(Duration.ofSeconds(1)).build();
    assertThatThrownBy(() -> PostgresRecordStore.open(nowhere))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("127.0.0.1:1/abilitystore")
        .hasMessageContaining("is the server running");
  }

  @Test
  void open_missingDatabase_saysWhichOne() {
    PostgresConfig missing = database.config().toBuilder().database("abilitystore_no_such_db").build();
    assertThatThrownBy(() -> PostgresRecordStore.open(missing))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("abilitystore_no_such_db");
  }

  @Test
  void databaseBootstrap_createsOnceThenFindsIt() {
    PostgresConfig fresh = TestPostgres.createDatabase();
    TestPostgres.dropDatabase(fresh);
    try {
      assertThat(DatabaseBootstrap.createDatabaseIfMissing(fresh)).isTrue();
      assertThat(DatabaseBootstrap.createDatabaseIfMissing(fresh)).isFalse();
    } finally {
      TestPostgres.dropDatabase(fresh);
    }
  }

  @Test
  void config_toString_hidesThePassword() {
    PostgresConfig config = postgres().config().toBuilder().password("hunter2").property("sslpassword", "p4ss").build();
    assertThat(config.toString()).doesNotContain("hunter2", "p4ss").contains("password=****");
    assertThat(Map.of("url", config.jdbcUrl()).toString()).doesNotContain("hunter2");
  }
}
