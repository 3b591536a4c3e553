package dev.abilitystore.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.SearchRequest;
import dev.abilitystore.SearchResult;
import dev.abilitystore.SecondaryState;
import dev.abilitystore.StoreResult;
import dev.abilitystore.StoredAbility;
import dev.abilitystore.port.Health;
import dev.abilitystore.postgres.testing.TcpProxy;
import dev.abilitystore.testing.Abilities;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * PostgreSQL answering slowly (a {@link TcpProxy} on loopback holding back every chunk of its
 * traffic) but never down: first a small delay, then one beyond the store's secondary timeout
 * (2 s, see {@link DualStore}), under which every write is acknowledged from the replication
 * queue and none is lost, while searches, reads and queries are answered by the primary without
 * waiting for PostgreSQL. Once the delay is gone, the queue drains, and both stores hold exactly
 * the acknowledged set. How many writes of the other phases went direct is a figure, not a check:
 * it depends on the machine's speed. With either primary.
 */
class SlowPostgresFaultTest extends DualStoreTest {
  private static final int BATCH = 25;
  private static final int BATCHES_PER_PHASE = Reliability.scaled(12, 120);
  private static final Duration SMALL_LATENCY = Duration.ofMillis(5);
  /** Per chunk and direction: a round trip takes twice this, far past the 2 s secondary timeout. */
  private static final Duration LATENCY_BEYOND_TIMEOUT = Duration.ofMillis(2_500);
  private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(Reliability.scaled(2, 10));

  @ParameterizedTest(name = "{0}")
  @EnumSource(Primary.class)
  void ingest_postgresSlowThenSlowerThanTheTimeoutThenFast_everyAcknowledgedWriteEndsInBothStores(Primary primary) {
    long started = System.nanoTime();
    int answeredWhileSlow = 0;
    try (TcpProxy proxy = TcpProxy.inFrontOf(database.config());
        AbilityStore store = DualStore.open(primary, dataDirectory, proxy.proxied(database.config()), infraxa.url())) {
      AcknowledgedIngest ingest = new AcknowledgedIngest(store);
      int next = 0;

      // Whether these go direct depends on how fast this machine is: counted, not asserted.
      proxy.setLatency(SMALL_LATENCY);
      for (int i = 0; i < BATCHES_PER_PHASE; i++, next += BATCH) {
        ingest.store(AcknowledgedIngest.batch("ability", next, BATCH));
      }

      proxy.setLatency(LATENCY_BEYOND_TIMEOUT);
      long deepestQueue = 0;
      for (int i = 0; i < BATCHES_PER_PHASE; i++, next += BATCH) {
        assertThat(states(ingest.store(AcknowledgedIngest.batch("ability", next, BATCH))))
            .as("writes while PostgreSQL is slower than the timeout").containsOnly(SecondaryState.QUEUED);
        deepestQueue = Math.max(deepestQueue, store.replication().orElseThrow().depth());
        assertAnsweredByThePrimary(store, primary, ingest, String.format("ability-%05d", next + BATCH - 1));
        answeredWhileSlow++;
      }

      proxy.setLatency(Duration.ZERO);
      DualStore.await("the replication queue drains", DRAIN_TIMEOUT,
          () -> store.replication().orElseThrow().depth() == 0);
      for (int i = 0; i < BATCHES_PER_PHASE; i++, next += BATCH) {
        ingest.store(AcknowledgedIngest.batch("ability", next, BATCH));
      }
      DualStore.await("both stores report healthy", DRAIN_TIMEOUT,
          () -> store.health().values().stream().allMatch(Health::isUp));

      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("primary", primary.name().toLowerCase(Locale.ROOT));
      figures.put("abilitiesAcknowledged", ingest.count());
      figures.put("writesDirect", ingest.in(SecondaryState.STORED));
      figures.put("writesQueued", ingest.in(SecondaryState.QUEUED));
      figures.put("deepestQueue", deepestQueue);
      figures.put("latencyBeyondTimeoutMs", LATENCY_BEYOND_TIMEOUT.toMillis());
      figures.put("readsAnsweredWhileSlow", answeredWhileSlow);
      int lost = ingest.lost(primary, infraxa, dataDirectory);
      figures.put("lost", lost);
      figures.put("seconds", (System.nanoTime() - started) / 1_000_000_000L);
      Reliability.report("SlowPostgresFaultTest-" + primary.name().toLowerCase(Locale.ROOT), figures);

      assertThat(deepestQueue).isPositive();
      ingest.assertBothStoresHoldExactlyTheAcknowledged(primary, infraxa, dataDirectory);
      assertThat(lost).as("acknowledged writes missing from a store").isZero();
    }
  }

  /**
   * A search, a read and (over Lucene) a query while PostgreSQL is slow: all answered, from the
   * primary, with what was acknowledged. Infraxa cannot list its vectors, so its queries walk
   * PostgreSQL's ids ({@code IdSource}) and are left out.
   */
  private static void assertAnsweredByThePrimary(AbilityStore store, Primary primary, AcknowledgedIngest ingest,
      String latest) {
    SearchResult result = store.search(SearchRequest.vector(Abilities.vector("query-" + latest, DualStore.DIMENSION)));
    assertThat(result.degraded()).as("a search while PostgreSQL is slow is the primary's").isFalse();
    assertThat(result.hits()).hasSize(SearchRequest.DEFAULT_K)
        .allSatisfy(hit -> assertThat(ingest.acknowledged()).containsKey(hit.ability().abilityId()));
    assertThat(store.get(latest)).as("the latest acknowledged ability").isPresent();
    if (primary == Primary.LUCENE) {
      List<String> serviceThree = ingest.acknowledged().keySet().stream()
          .filter(id -> Integer.parseInt(id.substring("ability-".length())) % 7 == 3).toList();
      AbilityQuery query = AbilityQuery.firstPage(AbilityFilter.builder().service("service-3").build(),
          AbilityQuery.MAX_LIMIT);
      assertThat(store.query(query).items()).extracting(Ability::abilityId).as("a query while PostgreSQL is slow")
          .containsExactlyElementsOf(serviceThree.subList(0, Math.min(serviceThree.size(), AbilityQuery.MAX_LIMIT)));
    }
  }

  private static List<SecondaryState> states(StoreResult result) {
    return result.results().stream().map(StoredAbility::secondary).toList();
  }
}
