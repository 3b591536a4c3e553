package dev.abilitystore.app;

import java.time.Duration;

/**
 * What an import did.
 *
 * @param read abilities read
 * @param inserted new in the store
 * @param updated replaced with other content
 * @param unchanged already there with the same content
 * @param embedded given an embedding by the store's embedder
 * @param storedInPostgres written to PostgreSQL directly
 * @param queuedForPostgres put in the replication queue, for PostgreSQL once it is back
 * @param elapsed wall time of the import
 */
public record ImportReport(long read, long inserted, long updated, long unchanged, long embedded,
    long storedInPostgres, long queuedForPostgres, Duration elapsed) {
  /** Abilities per second over the whole import. */
  public double rate() {
    return elapsed.isZero() ? read : read * 1000.0 / Math.max(1, elapsed.toMillis());
  }
}
