package dev.abilitystore.sync;

import dev.abilitystore.Ability;
import dev.abilitystore.port.Health;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * What a watched store saw, and what it does on cue: the most abilities asked for or returned
 * by one call, writes, and actions to run once before the next {@code getAll} or {@code scan}
 * (a write "landing" between the reconciler's scan and its repair). Thread-safe enough for
 * tests that sync on one thread.
 */
final class StoreHooks {
  private final AtomicInteger mostAskedFor = new AtomicInteger();
  private final AtomicInteger mostReturned = new AtomicInteger();
  private final AtomicInteger writes = new AtomicInteger();
  private volatile @Nullable Runnable beforeNextGetAll;
  private volatile @Nullable RuntimeException failScans;
  private volatile @Nullable RuntimeException failWrites;
  private volatile boolean claimUp;

  /** Runs {@code action} once, just before the next {@code getAll}. */
  void beforeNextGetAll(Runnable action) {
    beforeNextGetAll = action;
  }

  /** Makes every scan throw {@code failure}, while health keeps saying the store is up. */
  void failScans(RuntimeException failure) {
    failScans = failure;
    claimUp = true;
  }

  /** Makes every write throw {@code failure}; null lets writes through again. */
  void failWrites(@Nullable RuntimeException failure) {
    failWrites = failure;
  }

  int mostAskedFor() {
    return mostAskedFor.get();
  }

  int mostReturned() {
    return mostReturned.get();
  }

  int writes() {
    return writes.get();
  }

  void asked(int count) {
    mostAskedFor.accumulateAndGet(count, Math::max);
  }

  void beforeGetAll(int count) {
    asked(count);
    Runnable action = beforeNextGetAll;
    beforeNextGetAll = null;
    if (action != null) {
      action.run();
    }
  }

  void beforeScan(int limit) {
    asked(limit);
    RuntimeException failure = failScans;
    if (failure != null) {
      throw failure;
    }
  }

  List<Ability> returned(List<Ability> abilities) {
    mostReturned.accumulateAndGet(abilities.size(), Math::max);
    return abilities;
  }

  void wrote(int count) {
    RuntimeException failure = failWrites;
    if (failure != null) {
      throw failure;
    }
    writes.addAndGet(count);
  }

  Health health(Health actual) {
    return claimUp ? Health.up("claims to be up") : actual;
  }
}
