package dev.abilitystore.usage;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * How one ability has been used, or by how much its use grew since the last flush.
 *
 * @param abilityId the ability
 * @param serviceName its service, when it was last used
 * @param hits how often it appeared in search results
 * @param fetches how often it was fetched by id
 * @param lastUsedAt when it was last found or fetched
 */
public record AbilityUsage(String abilityId, String serviceName, long hits, long fetches,
    @Nullable Instant lastUsedAt) {

  /** Returns the sum of this and {@code other}, the later service name and time winning. */
  public AbilityUsage plus(AbilityUsage other) {
    boolean otherIsLater = lastUsedAt == null
        || (other.lastUsedAt != null && other.lastUsedAt.isAfter(lastUsedAt));
    return new AbilityUsage(abilityId, otherIsLater ? other.serviceName : serviceName, hits + other.hits,
        fetches + other.fetches, otherIsLater ? other.lastUsedAt : lastUsedAt);
  }
}
