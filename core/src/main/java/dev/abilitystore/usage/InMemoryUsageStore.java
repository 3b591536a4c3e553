package dev.abilitystore.usage;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** Usage counts kept in memory only, for a store without a data directory. Thread-safe. */
final class InMemoryUsageStore implements UsageStore {
  private final Map<String, AbilityUsage> abilities = new HashMap<>();
  private long searches;

  @Override
  public synchronized void add(long searches, Collection<AbilityUsage> increments) {
    this.searches += searches;
    increments.forEach(increment -> abilities.merge(increment.abilityId(), increment, AbilityUsage::plus));
  }

  @Override
  public synchronized UsageReport report(int top) {
    return UsageReports.of(searches, abilities.values(), top);
  }
}
