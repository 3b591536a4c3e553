package dev.abilitystore;

import java.util.List;

/**
 * The answer of {@link AbilityStore#store}: every ability of the batch is in the primary store
 * and in PostgreSQL or its durable replication queue.
 *
 * @param results one entry per distinct ability id, in the order first given
 * @param tookMs how long the call took, in milliseconds
 */
public record StoreResult(List<StoredAbility> results, long tookMs) {
  public StoreResult {
    results = List.copyOf(results);
  }

  /** Returns how many abilities were stored. */
  public int stored() {
    return results.size();
  }
}
