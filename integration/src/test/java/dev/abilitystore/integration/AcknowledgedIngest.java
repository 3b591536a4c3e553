package dev.abilitystore.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.SecondaryState;
import dev.abilitystore.StoreResult;
import dev.abilitystore.identity.ContentHash;
import dev.abilitystore.testing.Abilities;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An ingest through one store that keeps the ledger of the fault suites: every ability whose
 * {@code store} call returned (acknowledged), with the content hash of what was given and where
 * PostgreSQL stood for it. A call that throws adds nothing. Thread-safe.
 */
final class AcknowledgedIngest {
  private final AbilityStore store;
  private final Map<String, String> acknowledged = new TreeMap<>();
  private final Map<SecondaryState, Integer> states = new EnumMap<>(SecondaryState.class);
  private final AtomicInteger count = new AtomicInteger();

  AcknowledgedIngest(AbilityStore store) {
    this.store = store;
  }

  /** Returns abilities {@code prefix-00000} onwards, {@code size} of them from {@code start}, over seven services. */
  static List<Ability> batch(String prefix, int start, int size) {
    List<Ability> batch = new ArrayList<>(size);
    for (int i = start; i < start + size; i++) {
      batch.add(Abilities.simple(String.format("%s-%05d", prefix, i), "service-" + i % 7, i % 3 == 0,
          DualStore.DIMENSION));
    }
    return batch;
  }

  /** Stores {@code batch} (distinct ids) and, once the call has returned, records it as acknowledged. */
  StoreResult store(List<Ability> batch) {
    StoreResult result = store.store(batch);
    synchronized (this) {
      for (int i = 0; i < batch.size(); i++) {
        acknowledged.put(result.results().get(i).abilityId(), ContentHash.of(batch.get(i)));
        states.merge(result.results().get(i).secondary(), 1, Integer::sum);
      }
    }
    count.addAndGet(batch.size());
    return result;
  }

  /** Returns how many abilities were acknowledged. */
  int count() {
    return count.get();
  }

  /** Returns how many acknowledged writes went to PostgreSQL in {@code state}. */
  synchronized int in(SecondaryState state) {
    return states.getOrDefault(state, 0);
  }

  /** Returns the acknowledged abilities' content hashes by id. */
  synchronized Map<String, String> acknowledged() {
    return new LinkedHashMap<>(acknowledged);
  }

  /**
   * Returns how many acknowledged abilities either store lacks or holds with other content. For
   * Infraxa, whose scans walk PostgreSQL's ids, the fake's own list of ids is checked too.
   */
  int lost(Primary primary, InfraxaServer infraxa, Path dataDirectory) {
    Map<String, String> inPrimary = DualStore.primaryContent(store);
    Map<String, String> inPostgres = DualStore.secondaryContent(store);
    Set<String> inInfraxa = primary == Primary.INFRAXA
        ? new HashSet<>(infraxa.fake().abilityIds(Primary.tenant(dataDirectory))) : Set.of();
    int lost = 0;
    for (Map.Entry<String, String> write : acknowledged().entrySet()) {
      boolean held = write.getValue().equals(inPrimary.get(write.getKey()))
          && write.getValue().equals(inPostgres.get(write.getKey()))
          && (primary != Primary.INFRAXA || inInfraxa.contains(write.getKey()));
      lost += held ? 0 : 1;
    }
    return lost;
  }

  /**
   * Asserts that both stores hold exactly the acknowledged abilities with the given content, and
   * for Infraxa that the fake holds no other vector either.
   */
  void assertBothStoresHoldExactlyTheAcknowledged(Primary primary, InfraxaServer infraxa, Path dataDirectory) {
    Map<String, String> acknowledged = acknowledged();
    assertThat(DualStore.primaryContent(store)).as("the primary holds exactly the acknowledged writes")
        .isEqualTo(acknowledged);
    DualStore.assertStoresEqual(store);
    if (primary == Primary.INFRAXA) {
      // Infraxa's scans see only the ids PostgreSQL holds: look behind the API for any others.
      assertThat(infraxa.fake().abilityIds(Primary.tenant(dataDirectory)))
          .containsExactlyInAnyOrderElementsOf(acknowledged.keySet());
    }
  }
}
