package dev.abilitystore.usage;

import dev.abilitystore.Ability;
import dev.abilitystore.port.SearchHit;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts searches, hits and fetches in memory and hands the increments to a {@link UsageStore}
 * on {@link #flush()}. A flush that fails (PostgreSQL down) keeps the increments for the next
 * one, so counts are delayed, not lost, while the process lives. Memory is bounded by the
 * number of abilities used between two flushes. Thread-safe.
 */
public final class UsageRecorder {
  private static final Logger log = LoggerFactory.getLogger(UsageRecorder.class);

  private final UsageStore store;
  private final InstantSource clock;
  private final Object lock = new Object();
  private Map<String, AbilityUsage> pending = new HashMap<>();
  private long pendingSearches;

  public UsageRecorder(UsageStore store, InstantSource clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Counts one answered search and each ability it found. */
  public void searched(List<SearchHit> hits) {
    var now = clock.instant();
    synchronized (lock) {
      pendingSearches++;
      for (SearchHit hit : hits) {
        Ability ability = hit.ability();
        pending.merge(ability.abilityId(), new AbilityUsage(ability.abilityId(), ability.serviceName(), 1, 0, now),
            AbilityUsage::plus);
      }
    }
  }

  /** Counts one fetch of {@code ability} by id. */
  public void fetched(Ability ability) {
    var now = clock.instant();
    synchronized (lock) {
      pending.merge(ability.abilityId(), new AbilityUsage(ability.abilityId(), ability.serviceName(), 0, 1, now),
          AbilityUsage::plus);
    }
  }

  /** Hands what was counted since the last flush to the store; on failure keeps it for the next flush. */
  public void flush() {
    Map<String, AbilityUsage> taken;
    long searches;
    synchronized (lock) {
      if (pending.isEmpty() && pendingSearches == 0) {
        return;
      }
      taken = pending;
      searches = pendingSearches;
      pending = new HashMap<>();
      pendingSearches = 0;
    }
    try {
      store.add(searches, new ArrayList<>(taken.values()));
    } catch (RuntimeException e) {
      log.warn("[Usage] Could not save usage counts ({}); keeping them for the next try", e.getMessage());
      synchronized (lock) {
        pendingSearches += searches;
        taken.forEach((id, usage) -> pending.merge(id, usage, AbilityUsage::plus));
      }
    }
  }

  /** Flushes, then returns the stored counts: the {@code top} most used abilities and every service. */
  public UsageReport report(int top) {
    flush();
    return store.report(top);
  }
}
