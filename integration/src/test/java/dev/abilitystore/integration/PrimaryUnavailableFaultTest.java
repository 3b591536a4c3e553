package dev.abilitystore.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.SearchRequest;
import dev.abilitystore.SearchResult;
import dev.abilitystore.SecondaryState;
import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.embed.HashingEmbedder;
import dev.abilitystore.fuzz.TestStores;
import dev.abilitystore.identity.ContentHash;
import dev.abilitystore.infraxa.InfraxaConfig;
import dev.abilitystore.infraxa.InfraxaVectorIndex;
import dev.abilitystore.port.Health;
import dev.abilitystore.port.VectorIndex;
import dev.abilitystore.sync.SyncReport;
import dev.abilitystore.testing.Abilities;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The primary unavailable while PostgreSQL is fine: Infraxa down (the fake answers 503 to every
 * call), or Lucene's index directory unwritable (see {@link UnwritableDirectory}). Meanwhile every
 * store and delete fails with {@link StoreUnavailableException} and leaves PostgreSQL (and the
 * replication queue) untouched, so nothing is half-present; what was acknowledged before stays
 * readable, by search (from PostgreSQL when the primary cannot answer) and by id; and health
 * reports the primary down. Once the primary is back, writes succeed again and a sync leaves
 * both stores equal, holding exactly the acknowledged set.
 */
class PrimaryUnavailableFaultTest extends DualStoreTest {
  private static final int BATCH = 25;
  private static final int ACKNOWLEDGED_BEFORE = Reliability.scaled(500, 5_000);
  private static final int REFUSED_BATCHES = Reliability.scaled(4, 40);
  /** Infraxa's breaker stays open 30 s by default; 1 s keeps the wait for its recovery short. */
  private static final Duration BREAKER_OPEN = Duration.ofSeconds(1);
  private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(1);

  @ParameterizedTest(name = "{0}")
  @EnumSource(Primary.class)
  void store_primaryUnavailable_failsAndWritesNothing_thenSucceedsAndSyncLeavesBothStoresEqual(Primary primary) {
    long started = System.nanoTime();
    int refused = 0;
    try (AbilityStore store = open(primary)) {
      AcknowledgedIngest ingest = new AcknowledgedIngest(store);
      for (int start = 0; start < ACKNOWLEDGED_BEFORE; start += BATCH) {
        ingest.store(AcknowledgedIngest.batch("before", start, BATCH));
      }
      SearchRequest search = SearchRequest.vector(Abilities.vector("query", DualStore.DIMENSION));
      List<String> topTen = ids(store.search(search));
      Ability known = AcknowledgedIngest.batch("before", 1, 1).get(0);

      try (Outage outage = outage(primary)) {
        for (int i = 0; i < REFUSED_BATCHES; i++) {
          List<Ability> batch = AcknowledgedIngest.batch("refused", i * BATCH, BATCH);
          assertThatThrownBy(() -> ingest.store(batch)).as("a store while the primary is unavailable")
              .isInstanceOf(StoreUnavailableException.class);
          refused += batch.size();
          assertNothingOf(batch, store, primary);
        }
        assertThatThrownBy(() -> store.delete(List.of(known.abilityId())))
            .as("a delete while the primary is unavailable").isInstanceOf(StoreUnavailableException.class);
        assertThat(store.replication().orElseThrow().depth()).as("writes queued for PostgreSQL").isZero();
        assertThat(DualStore.secondaryContent(store)).as("PostgreSQL holds what was acknowledged, no more")
            .isEqualTo(ingest.acknowledged());

        assertThat(store.health().get("primary").status()).as("the primary's health").isEqualTo(Health.Status.DOWN);
        assertThat(store.health().get("secondary").isUp()).as("PostgreSQL's health").isTrue();
        SearchResult result = store.search(search);
        assertThat(ids(result)).as("the top ten while the primary is unavailable").containsExactlyElementsOf(topTen);
        if (primary == Primary.INFRAXA) {
          assertThat(result.degraded()).as("answered from PostgreSQL").isTrue();
        }
        assertThat(store.get(known.abilityId()).map(ContentHash::of)).contains(ContentHash.of(known));
      }

      DualStore.await("the primary reports healthy again", RECOVERY_TIMEOUT,
          () -> store.health().get("primary").isUp());
      for (int start = 0; start < ACKNOWLEDGED_BEFORE / 5; start += BATCH) {
        ingest.store(AcknowledgedIngest.batch("after", start, BATCH));
      }
      SyncReport sync = store.sync();

      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("primary", primary.name().toLowerCase(Locale.ROOT));
      figures.put("outage", primary == Primary.INFRAXA ? "fake Infraxa answering 503" : "index directory unwritable");
      figures.put("abilitiesAcknowledged", ingest.count());
      figures.put("writesRefused", refused);
      figures.put("writesQueued", ingest.in(SecondaryState.QUEUED));
      figures.put("repairedBySync", sync.repaired());
      int lost = ingest.lost(primary, infraxa, dataDirectory);
      figures.put("lost", lost);
      figures.put("seconds", (System.nanoTime() - started) / 1_000_000_000L);
      Reliability.report("PrimaryUnavailableFaultTest-" + primary.name().toLowerCase(Locale.ROOT), figures);

      ingest.assertBothStoresHoldExactlyTheAcknowledged(primary, infraxa, dataDirectory);
      assertThat(lost).as("acknowledged writes missing from a store").isZero();
    }
  }

  /** The primary taken away, until closed. */
  private interface Outage extends AutoCloseable {
    @Override
    void close();
  }

  private Outage outage(Primary primary) {
    if (primary == Primary.INFRAXA) {
      infraxa.fake().down();
      return infraxa.fake()::up;
    }
    return UnwritableDirectory.of(dataDirectory.resolve("index"))::close;
  }

  /** Asserts that neither PostgreSQL nor the primary holds any of {@code batch}. */
  private void assertNothingOf(List<Ability> batch, AbilityStore store, Primary primary) {
    List<String> ids = batch.stream().map(Ability::abilityId).toList();
    assertThat(ids.stream().filter(id -> store.secondary().get(id).isPresent()).toList())
        .as("refused abilities in PostgreSQL").isEmpty();
    // Infraxa answers nothing while down: look behind its API. Lucene still reads while it cannot write.
    List<String> inPrimary = primary == Primary.INFRAXA
        ? infraxa.fake().abilityIds(Primary.tenant(dataDirectory)).stream().filter(ids::contains).toList()
        : ids.stream().filter(id -> store.primary().get(id).isPresent()).toList();
    assertThat(inPrimary).as("refused abilities in the primary").isEmpty();
  }

  /**
   * The store of {@link DualStore#builder}, but with Infraxa's circuit breaker opening after three
   * failed calls for {@link #BREAKER_OPEN}.
   */
  private AbilityStore open(Primary primary) {
    HashingEmbedder embedder = new HashingEmbedder(DualStore.DIMENSION);
    PostgresIds ids = new PostgresIds(database.config());
    VectorIndex index = primary == Primary.INFRAXA
        ? InfraxaVectorIndex.open(InfraxaConfig.builder(infraxa.url(), DualStore.DIMENSION)
            .tenant(Primary.tenant(dataDirectory))
            .retries(3, Duration.ofMillis(20), Duration.ofMillis(200))
            .breaker(3, BREAKER_OPEN)
            .build(), ids)
        : primary.open(dataDirectory, embedder.model(), ids, infraxa.url());
    return TestStores.besidePostgres(index, database.config(), embedder, dataDirectory).builder().build();
  }

  private static List<String> ids(SearchResult result) {
    return result.hits().stream().map(hit -> hit.ability().abilityId()).toList();
  }
}
