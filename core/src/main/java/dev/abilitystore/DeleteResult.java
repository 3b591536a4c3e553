package dev.abilitystore;

import java.util.List;

/**
 * The answer of {@link AbilityStore#delete}.
 *
 * @param abilityIds the ids whose deletion was acknowledged (whether or not they existed)
 * @param secondary where the deletes stand in PostgreSQL: stored, queued, or disabled
 * @param tookMs how long the call took, in milliseconds
 */
public record DeleteResult(List<String> abilityIds, SecondaryState secondary, long tookMs) {
  public DeleteResult {
    abilityIds = List.copyOf(abilityIds);
  }
}
