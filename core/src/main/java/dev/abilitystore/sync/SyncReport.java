package dev.abilitystore.sync;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What one sync found and did. In a dry run, {@code repaired}, {@code deletionsHonoured} and
 * {@code repairs} say what it would have done. Immutable.
 *
 * @param direction which store was treated as the truth
 * @param dryRun true when nothing was changed
 * @param startedAt when the sync started
 * @param durationMs how long it took, in milliseconds
 * @param scannedPrimary abilities read from the index
 * @param scannedSecondary abilities read from PostgreSQL
 * @param missingInPrimary abilities found in PostgreSQL only
 * @param missingInSecondary abilities found in the index only
 * @param stale abilities found in both with different content
 * @param deletionsHonoured abilities deleted from the side that still held them because a
 *     tombstone said they had been deleted after that copy's last update (bidirectional only)
 * @param repaired abilities written or deleted to make the stores agree
 * @param repairs the first {@value #MAX_LISTED_REPAIRS} repairs, in ability-id order
 * @param repairsTruncated true when more repairs were made than {@code repairs} lists
 */
public record SyncReport(
    SyncDirection direction,
    boolean dryRun,
    Instant startedAt,
    long durationMs,
    long scannedPrimary,
    long scannedSecondary,
    long missingInPrimary,
    long missingInSecondary,
    long stale,
    long deletionsHonoured,
    long repaired,
    List<Repair> repairs,
    boolean repairsTruncated) {

  /** How many repairs a report lists at most. */
  public static final int MAX_LISTED_REPAIRS = 1_000;

  public SyncReport {
    requireNonNull(direction, "direction");
    requireNonNull(startedAt, "startedAt");
    repairs = List.copyOf(repairs);
  }

  /** Returns how many distinct abilities were compared per second (those in either store). */
  public double abilitiesPerSecond() {
    return (scannedPrimary + missingInPrimary) * 1000.0 / Math.max(durationMs, 1);
  }

  /**
   * One repaired ability.
   *
   * @param abilityId the ability
   * @param action what was done to it
   */
  public record Repair(String abilityId, Action action) {
    public Repair {
      requireNonNull(abilityId, "abilityId");
      requireNonNull(action, "action");
    }
  }

  /** What a repair did, and to which store. */
  public enum Action {
    /** Written to PostgreSQL, which lacked it. */
    COPIED_TO_SECONDARY,
    /** Written to PostgreSQL over a stale copy. */
    UPDATED_IN_SECONDARY,
    /** Deleted from PostgreSQL. */
    DELETED_FROM_SECONDARY,
    /** Written to the index, which lacked it. */
    COPIED_TO_PRIMARY,
    /** Written to the index over a stale copy. */
    UPDATED_IN_PRIMARY,
    /** Deleted from the index. */
    DELETED_FROM_PRIMARY;

    /** Returns the name the API uses, such as {@code copied-to-secondary}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** True when the repair writes to or deletes from the index. */
    public boolean changesPrimary() {
      return this == COPIED_TO_PRIMARY || this == UPDATED_IN_PRIMARY || this == DELETED_FROM_PRIMARY;
    }

    /** True when the repair deletes the ability. */
    public boolean deletes() {
      return this == DELETED_FROM_PRIMARY || this == DELETED_FROM_SECONDARY;
    }
  }
}
