package dev.abilitystore.sync;

import dev.abilitystore.AbilityStoreException;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.identity.AbilityIdOrder;
import dev.abilitystore.port.Health;
import dev.abilitystore.port.RecordStore;
import dev.abilitystore.port.VectorIndex;
import dev.abilitystore.replication.SecondaryWriter;
import dev.abilitystore.write.IdLocks;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the vector index and PostgreSQL hold the same abilities: {@code sync}.
 *
 * <p>Design notes.
 * <ul>
 *   <li><b>Merge-join.</b> Both stores are scanned page by page in {@link AbilityIdOrder} and
 *       merged by id, so memory holds one page of each, one batch of ids to repair and the first
 *       {@value SyncReport#MAX_LISTED_REPAIRS} repairs listed in the report — never the
 *       catalogue. No store is ever asked for more than a page.
 *   <li><b>Content, not columns.</b> Two copies agree when {@code ContentHash.of} what each store
 *       returned is equal; a stored hash column proves nothing about a row edited by hand.
 *       Timestamps are not content: copies differing only in them agree.
 *   <li><b>What is repaired</b> is decided by {@link RepairRule} for the direction: the truth's
 *       missing or stale copies are written to the other store and its extras deleted; both
 *       ways, the newer {@code updated_at} wins, the index on ties, and a copy on one side only
 *       is deleted when a {@link Tombstones tombstone} records its deletion at or after the
 *       copy's last update, copied across otherwise. Copies are written as read, timestamps
 *       and stored embedding included (nothing is re-embedded).
 *   <li><b>Concurrency.</b> The scan takes no locks, so it may read an ability just before a
 *       write changes it. Repairs are therefore batched (up to a page of ids) and decided again
 *       under the ids' {@link IdLocks} from fresh {@code getAll} reads of both stores — the locks
 *       the write path holds across its two stores — and what the stores hold then is what is
 *       copied or deleted. A repair thus never undoes a write that landed during the scan.
 *       While a batch is repaired, writes of its ids (with 256 stripes, most writes) wait.
 *   <li><b>Failures.</b> Both stores must be healthy and answer their first page before
 *       anything is changed. Writes to PostgreSQL go through the {@link SecondaryWriter}, so they
 *       queue, in order with earlier queued writes, if PostgreSQL fails during the sync; a
 *       failing read or index write ends the sync with a {@link StoreUnavailableException}
 *       naming the store, after the repairs made so far (each one stands on its own).
 *   <li><b>Dry run.</b> The same scan and decisions, logged and counted as would-be repairs,
 *       with no locks taken and nothing written.
 * </ul>
 * Thread-safe: one sync runs at a time; a second one asked for meanwhile is refused.
 */
public final class Reconciler {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
  /** Abilities read per page, and repaired per batch, by default. */
  public static final int DEFAULT_PAGE_SIZE = 1_000;
  static final String PRIMARY = "the index";
  static final String SECONDARY = "PostgreSQL";

  private final VectorIndex primary;
  private final RecordStore secondary;
  private final SecondaryWriter secondaryWriter;
  private final IdLocks locks;
  private final Tombstones tombstones;
  private final InstantSource clock;
  private final int pageSize;
  private final AtomicBoolean running = new AtomicBoolean();

  /** A reconciler that reads and repairs {@value #DEFAULT_PAGE_SIZE} abilities at a time. */
  public Reconciler(VectorIndex primary, RecordStore secondary, SecondaryWriter secondaryWriter, IdLocks locks,
      Tombstones tombstones, InstantSource clock) {
    this(primary, secondary, secondaryWriter, locks, tombstones, clock, DEFAULT_PAGE_SIZE);
  }

  /**
   * A reconciler that reads and repairs {@code pageSize} abilities at a time.
   *
   * @param primary the vector index
   * @param secondary PostgreSQL, read directly
   * @param secondaryWriter writes to PostgreSQL, or to the replication queue when it cannot take them
   * @param locks the write path's locks
   * @param tombstones the deletions made through the store, for bidirectional syncs
   * @param clock the source of the report's times
   * @param pageSize abilities per page and per repair batch
   * @throws InvalidInputException if {@code pageSize} is less than 1
   */
  public Reconciler(VectorIndex primary, RecordStore secondary, SecondaryWriter secondaryWriter, IdLocks locks,
      Tombstones tombstones, InstantSource clock, int pageSize) {
    if (pageSize < 1) {
      throw new InvalidInputException("sync page size must be at least 1, was " + pageSize);
    }
    this.primary = primary;
    this.secondary = secondary;
    this.secondaryWriter = secondaryWriter;
    this.locks = locks;
    this.tombstones = tombstones;
    this.clock = clock;
    this.pageSize = pageSize;
  }

  /**
   * Compares both stores and repairs every difference in {@code direction}, or with
   * {@code dryRun} only reports what it would repair.
   *
   * @param direction which store is the truth
   * @param dryRun true to change nothing
   * @param progress told the counts so far after every page of abilities compared
   * @return what was found and repaired
   * @throws InvalidInputException if no PostgreSQL is configured
   * @throws StoreUnavailableException if a store cannot be reached (before anything is changed
   *     when it is unreachable from the start)
   * @throws AbilityStoreException if another sync is running
   */
  public SyncReport run(SyncDirection direction, boolean dryRun, SyncProgress progress) {
    if (!secondary.enabled()) {
      throw new InvalidInputException("sync needs PostgreSQL: set DATABASE_URL");
    }
    if (!running.compareAndSet(false, true)) {
      throw new AbilityStoreException("[Sync] a sync is already running; wait for it to finish");
    }
    try {
      requireUp(PRIMARY + " (" + primary.name() + ")", primary::health);
      requireUp(SECONDARY, secondary::health);
      return reconcile(direction, dryRun, progress);
    } finally {
      running.set(false);
    }
  }

  private SyncReport reconcile(SyncDirection direction, boolean dryRun, SyncProgress progress) {
    Instant startedAt = clock.instant();
    log.info("[Sync] Starting {}{}", direction.wireName(), dryRun ? " (dry run: nothing will be changed)" : "");
    RepairRule rule = new RepairRule(direction, tombstones);
    RepairApplier applier = new RepairApplier(primary, secondary, secondaryWriter, locks, rule);
    MergedScan scan = new MergedScan(
        new ScanCursor(PRIMARY + " (" + primary.name() + ")", primary::scan, pageSize),
        new ScanCursor(SECONDARY, secondary::scan, pageSize));
    Tally tally = new Tally();
    List<String> batch = new ArrayList<>(pageSize);
    long compared = 0;
    for (MergedScan.Pair pair = scan.next(); pair != null; pair = scan.next()) {
      Difference difference = Difference.of(pair.inPrimary(), pair.inSecondary());
      tally.found(difference);
      PlannedRepair repair = rule.decide(difference, pair.abilityId(), pair.inPrimary(), pair.inSecondary());
      if (repair != null && dryRun) {
        tally.repaired(repair);
        log.info("[Sync] {}", repair.describe(true, false));
      } else if (repair != null) {
        batch.add(pair.abilityId());
        if (batch.size() == pageSize) {
          applier.apply(batch, tally);
          batch.clear();
        }
      }
      if (++compared % pageSize == 0) {
        progress.update(tally.counts(scan.scannedPrimary(), scan.scannedSecondary()));
      }
    }
    if (!batch.isEmpty()) {
      applier.apply(batch, tally);
    }
    progress.update(tally.counts(scan.scannedPrimary(), scan.scannedSecondary()));
    long durationMs = Duration.between(startedAt, clock.instant()).toMillis();
    SyncReport report = tally.report(direction, dryRun, startedAt, durationMs, scan.scannedPrimary(),
        scan.scannedSecondary());
    logSummary(report);
    return report;
  }

  private static void requireUp(String storeName, Supplier<Health> health) {
    Health state;
    try {
      state = health.get();
    } catch (RuntimeException e) {
      state = Health.down(String.valueOf(e.getMessage()));
    }
    if (!state.isUp()) {
      throw new StoreUnavailableException("[Sync] " + storeName + " is unavailable (" + state.detail()
          + "); nothing was changed: bring it back and sync again");
    }
  }

  private static void logSummary(SyncReport report) {
    String found = report.missingInSecondary() + " missing in " + SECONDARY + ", " + report.missingInPrimary()
        + " missing in " + PRIMARY + ", " + report.stale() + " stale";
    String deletions = report.direction() == SyncDirection.BIDIRECTIONAL
        ? ", " + report.deletionsHonoured() + " by tombstone" : "";
    log.info("[Sync] {} {} in {} ms: scanned {} in {} and {} in {}; {}; {} {}{}", report.direction().wireName(),
        report.dryRun() ? "dry run finished" : "finished", report.durationMs(), report.scannedPrimary(), PRIMARY,
        report.scannedSecondary(), SECONDARY, found, report.dryRun() ? "would repair" : "repaired",
        report.repaired(), deletions);
  }
}
