package dev.abilitystore.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.SecondaryState;
import dev.abilitystore.StoreResult;
import dev.abilitystore.StoredAbility;
import dev.abilitystore.identity.ContentHash;
import dev.abilitystore.postgres.testing.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * PostgreSQL stopped for real (its TCP connections cut and refused by a proxy) before and during
 * an ingest of 5,000 abilities: every write is acknowledged, the queue drains when PostgreSQL is
 * back, and both stores then hold exactly the acknowledged set, content-equal. With either primary.
 */
class PostgresOutageTest extends DualStoreTest {
  private static final int ABILITIES = 5_000;
  private static final int BATCH = 50;

  @ParameterizedTest(name = "{0}")
  @EnumSource(Primary.class)
  void ingest_postgresDownBeforeAndDuring_bothStoresEndEqualWithEveryAcknowledgedWrite(Primary primary) {
    Map<String, String> acknowledged = new LinkedHashMap<>();
    List<SecondaryState> states = new ArrayList<>();
    try (TcpProxy proxy = TcpProxy.inFrontOf(database.config())) {
      proxy.cut();
      try (AbilityStore store = DualStore.open(primary, dataDirectory,
          proxy.proxied(database.config()), infraxa.url())) {
        for (int start = 0; start < ABILITIES; start += BATCH) {
          if (start == 1_500) {
            proxy.restore();
            // Writes keep queueing behind the backlog until it has drained; then they go direct.
            DualStore.await("the backlog drains", Duration.ofSeconds(60),
                () -> store.replication().orElseThrow().depth() == 0);
          }
          if (start == 3_000) {
            proxy.cut();
          }
          if (start == 4_000) {
            proxy.restore();
          }
          List<Ability> batch = AcknowledgedIngest.batch("ability", start, BATCH);
          StoreResult result = store.store(batch);
          for (int i = 0; i < batch.size(); i++) {
            StoredAbility stored = result.results().get(i);
            acknowledged.put(stored.abilityId(), ContentHash.of(batch.get(i)));
            states.add(stored.secondary());
          }
        }
        DualStore.await("the replication queue drains", Duration.ofSeconds(60),
            () -> store.replication().orElseThrow().depth() == 0);

        assertThat(states).contains(SecondaryState.QUEUED, SecondaryState.STORED);
        assertThat(DualStore.primaryContent(store)).isEqualTo(sorted(acknowledged));
        DualStore.assertStoresEqual(store);
        if (primary == Primary.INFRAXA) {
          // Infraxa's scans see only the ids PostgreSQL holds: look behind the API for any others.
          assertThat(infraxa.fake().abilityIds(Primary.tenant(dataDirectory)))
              .containsExactlyInAnyOrderElementsOf(acknowledged.keySet());
        }
      }
    }
  }

  private static Map<String, String> sorted(Map<String, String> hashes) {
    Map<String, String> sorted = new LinkedHashMap<>();
    hashes.keySet().stream().sorted().forEach(id -> sorted.put(id, hashes.get(id)));
    return sorted;
  }
}
