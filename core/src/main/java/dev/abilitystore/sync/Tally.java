package dev.abilitystore.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The counts of one sync as it goes, and the first repairs it made. Not thread-safe. */
final class Tally {
  private long missingInPrimary;
  private long missingInSecondary;
  private long stale;
  private long deletionsHonoured;
  private long repaired;
  private final List<SyncReport.Repair> repairs = new ArrayList<>();
  private boolean repairsTruncated;

  void found(Difference difference) {
    switch (difference) {
      case MISSING_IN_PRIMARY -> missingInPrimary++;
      case MISSING_IN_SECONDARY -> missingInSecondary++;
      case STALE -> stale++;
      case NONE -> { }
    }
  }

  void repaired(PlannedRepair repair) {
    repaired++;
    if (repair.honoursDeletion()) {
      deletionsHonoured++;
    }
    if (repairs.size() < SyncReport.MAX_LISTED_REPAIRS) {
      repairs.add(new SyncReport.Repair(repair.abilityId(), repair.action()));
    } else {
      repairsTruncated = true;
    }
  }

  long repaired() {
    return repaired;
  }

  SyncProgress.Counts counts(long scannedPrimary, long scannedSecondary) {
    return new SyncProgress.Counts(scannedPrimary, scannedSecondary, missingInPrimary, missingInSecondary, stale,
        deletionsHonoured, repaired);
  }

  SyncReport report(SyncDirection direction, boolean dryRun, Instant startedAt, long durationMs,
      long scannedPrimary, long scannedSecondary) {
    return new SyncReport(direction, dryRun, startedAt, durationMs, scannedPrimary, scannedSecondary,
        missingInPrimary, missingInSecondary, stale, deletionsHonoured, repaired, repairs, repairsTruncated);
  }
}
