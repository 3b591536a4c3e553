package dev.abilitystore.sync;

import dev.abilitystore.Ability;
import dev.abilitystore.sync.SyncReport.Action;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Decides what a sync in one direction does about one ability, given both stores' copies.
 *
 * <p>Bidirectional: of two differing copies the newer {@code updated_at} wins, the index's on a
 * tie or when either time is unknown. A copy on one side only is deleted if a tombstone records
 * a deletion at or after its {@code updated_at} (or the copy has none), and copied to the other
 * side otherwise. Thread-safe if the tombstones are.
 */
final class RepairRule {
  private final SyncDirection direction;
  private final Tombstones tombstones;

  RepairRule(SyncDirection direction, Tombstones tombstones) {
    this.direction = direction;
    this.tombstones = tombstones;
  }

  /** Returns the repair that makes the stores agree on this ability, or null when they do. */
  @Nullable PlannedRepair decide(Difference difference, String abilityId, @Nullable Ability inPrimary,
      @Nullable Ability inSecondary) {
    return switch (difference) {
      case NONE -> null;
      case STALE -> stale(abilityId, present(inPrimary), present(inSecondary));
      case MISSING_IN_SECONDARY -> onlyInPrimary(abilityId, present(inPrimary));
      case MISSING_IN_PRIMARY -> onlyInSecondary(abilityId, present(inSecondary));
    };
  }

  private PlannedRepair stale(String abilityId, Ability inPrimary, Ability inSecondary) {
    return switch (direction) {
      case PRIMARY_TO_SECONDARY -> write(abilityId, Action.UPDATED_IN_SECONDARY, inPrimary, "stale");
      case SECONDARY_TO_PRIMARY -> write(abilityId, Action.UPDATED_IN_PRIMARY, inSecondary, "stale");
      case BIDIRECTIONAL -> {
        Instant primaryUpdated = inPrimary.updatedAt();
        Instant secondaryUpdated = inSecondary.updatedAt();
        if (primaryUpdated == null || secondaryUpdated == null || primaryUpdated.equals(secondaryUpdated)) {
          yield write(abilityId, Action.UPDATED_IN_SECONDARY, inPrimary,
              "stale; neither copy is newer, the index's wins");
        }
        yield secondaryUpdated.isAfter(primaryUpdated)
            ? write(abilityId, Action.UPDATED_IN_PRIMARY, inSecondary, "stale; PostgreSQL's copy is newer")
            : write(abilityId, Action.UPDATED_IN_SECONDARY, inPrimary, "stale; the index's copy is newer");
      }
    };
  }

  private PlannedRepair onlyInPrimary(String abilityId, Ability inPrimary) {
    return switch (direction) {
      case PRIMARY_TO_SECONDARY -> write(abilityId, Action.COPIED_TO_SECONDARY, inPrimary, "missing");
      case SECONDARY_TO_PRIMARY -> delete(abilityId, Action.DELETED_FROM_PRIMARY, "not in PostgreSQL", false);
      case BIDIRECTIONAL -> deleteOrCopy(inPrimary, Action.DELETED_FROM_PRIMARY, Action.COPIED_TO_SECONDARY);
    };
  }

  private PlannedRepair onlyInSecondary(String abilityId, Ability inSecondary) {
    return switch (direction) {
      case PRIMARY_TO_SECONDARY -> delete(abilityId, Action.DELETED_FROM_SECONDARY, "not in the index", false);
      case SECONDARY_TO_PRIMARY -> write(abilityId, Action.COPIED_TO_PRIMARY, inSecondary, "missing");
      case BIDIRECTIONAL -> deleteOrCopy(inSecondary, Action.DELETED_FROM_SECONDARY, Action.COPIED_TO_PRIMARY);
    };
  }

  /** Honours a recorded deletion at or after the copy's last update; copies the ability across otherwise. */
  private PlannedRepair deleteOrCopy(Ability copy, Action deletion, Action copying) {
    Optional<Instant> deletedAt = tombstones.deletedAt(copy.abilityId());
    Instant updatedAt = copy.updatedAt();
    if (deletedAt.isPresent() && (updatedAt == null || !deletedAt.get().isBefore(updatedAt))) {
      return delete(copy.abilityId(), deletion, "honouring its deletion at " + deletedAt.get(), true);
    }
    return write(copy.abilityId(), copying, copy,
        deletedAt.map(at -> "missing; changed after its deletion at " + at).orElse("missing"));
  }

  private static PlannedRepair write(String abilityId, Action action, Ability copy, String reason) {
    return new PlannedRepair(abilityId, action, copy, reason, false);
  }

  private static PlannedRepair delete(String abilityId, Action action, String reason, boolean honoursDeletion) {
    return new PlannedRepair(abilityId, action, null, reason, honoursDeletion);
  }

  private static Ability present(@Nullable Ability copy) {
    if (copy == null) {
      throw new IllegalStateException("a difference was classified without the copy it names");
    }
    return copy;
  }
}
