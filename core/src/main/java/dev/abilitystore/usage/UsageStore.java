package dev.abilitystore.usage;

import java.util.Collection;

/** Where usage counts are kept between runs. Implementations are thread-safe. */
public interface UsageStore extends AutoCloseable {
  /** Returns a store that keeps the counts in memory only. */
  static UsageStore inMemory() {
    return new InMemoryUsageStore();
  }

  /**
   * Adds these increments to the stored counts, all or nothing.
   *
   * @param searches searches answered since the last call
   * @param abilities per-ability increments since the last call
   */
  void add(long searches, Collection<AbilityUsage> abilities);

  /** Returns the stored counts: the {@code top} most used abilities and every service. */
  UsageReport report(int top);

  @Override
  default void close() {}
}
