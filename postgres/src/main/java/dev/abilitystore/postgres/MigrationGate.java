package dev.abilitystore.postgres;

import dev.abilitystore.StoreUnavailableException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Holds the operations of a store that started while its server was unreachable until the
 * schema migrations have run, and runs them when the server answers again.
 *
 * <p>Once the migrations have run, {@link #awaitMigrated} costs one volatile read. Before,
 * callers take turns under a lock (not a monitor: callers may be virtual threads, and the
 * migration does I/O); a caller that waited while another one tried gets that attempt's
 * failure instead of trying again, so that a crowd of callers costs one connection timeout, not
 * one each. Thread-safe.
 */
final class MigrationGate {
  private final String location;
  private final Runnable migration;
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicLong attempts = new AtomicLong();
  private volatile boolean migrated;
  private @Nullable RuntimeException lastFailure;

  /**
   * Creates a gate that runs {@code migration} once, unless {@code migrated} says it has run.
   *
   * @param location the server and database, for messages
   * @param migration applies pending migrations; throws when it cannot
   * @param migrated whether the migrations have already run (or are not this store's business)
   */
  MigrationGate(String location, Runnable migration, boolean migrated) {
    this.location = location;
    this.migration = migration;
    this.migrated = migrated;
  }

  boolean migrated() {
    return migrated;
  }

  void markMigrated() {
    migrated = true;
  }

  /**
   * Returns once the migrations have run, running them first if needed.
   *
   * @param operation what the caller is about to do, for the message
   * @throws StoreUnavailableException while the server is unreachable or a migration fails
   */
  void awaitMigrated(String operation) {
    if (migrated) {
      return;
    }
    long attemptsSeen = attempts.get();
    lock.lock();
    try {
      if (migrated) {
        return;
      }
      RuntimeException failure = lastFailure;
      if (failure != null && attempts.get() != attemptsSeen) {
        throw pending(operation, failure);
      }
      attempts.incrementAndGet();
      try {
        migration.run();
        migrated = true;
        lastFailure = null;
      } catch (RuntimeException e) {
        lastFailure = e;
        throw SqlFailures.isServerUnreachable(e) ? pending(operation, e) : e;
      }
    } finally {
      lock.unlock();
    }
  }

  private StoreUnavailableException pending(String operation, RuntimeException failure) {
    if (!SqlFailures.isServerUnreachable(failure)) {
      return new StoreUnavailableException(failure.getMessage() == null ? "[DB] migration failed at " + location
          : failure.getMessage(), failure);
    }
    return new StoreUnavailableException("[DB] PostgreSQL at " + location + " is still unreachable ("
        + SqlFailures.reason(failure) + "), so its schema migrations are pending and " + operation + " cannot run: "
        + "start the server or correct DATABASE_URL; the store migrates on the first operation that finds it back",
        failure);
  }
}
