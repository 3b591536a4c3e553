package dev.abilitystore.sync;

/**
 * Told how a sync is going after every page of abilities compared, and once at the end: for
 * progress bars and logs. Called on the thread running the sync; should return quickly.
 */
@FunctionalInterface
public interface SyncProgress {
  /** Ignores progress. */
  SyncProgress NONE = counts -> {};

  /** Receives the counts so far. */
  void update(Counts counts);

  /**
   * The counts of a sync so far; the fields mean what {@link SyncReport}'s do.
   *
   * @param scannedPrimary abilities read from the index
   * @param scannedSecondary abilities read from PostgreSQL
   * @param missingInPrimary abilities found in PostgreSQL only
   * @param missingInSecondary abilities found in the index only
   * @param stale abilities found in both with different content
   * @param deletionsHonoured deletions carried over by tombstone
   * @param repaired abilities repaired (in a dry run: that would be)
   */
  record Counts(long scannedPrimary, long scannedSecondary, long missingInPrimary, long missingInSecondary,
      long stale, long deletionsHonoured, long repaired) {}
}
