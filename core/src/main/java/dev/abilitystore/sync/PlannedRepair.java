package dev.abilitystore.sync;

import dev.abilitystore.Ability;
import dev.abilitystore.sync.SyncReport.Action;
import org.jspecify.annotations.Nullable;

/**
 * A repair decided for one ability.
 *
 * @param abilityId the ability
 * @param action what to do
 * @param copy the copy to write, as read from the other store; null when deleting
 * @param reason why, for the log line: {@code missing}, {@code stale; PostgreSQL's copy is newer}, ...
 * @param honoursDeletion true when a tombstone decided it
 */
record PlannedRepair(String abilityId, Action action, @Nullable Ability copy, String reason,
    boolean honoursDeletion) {

  /**
   * Returns the log line's text, such as {@code Copied github-get-user to PostgreSQL (missing)}.
   *
   * @param dryRun true to say what would be done
   * @param queued true when PostgreSQL could not take the write and it waits in the replication queue
   */
  String describe(boolean dryRun, boolean queued) {
    String store = action.changesPrimary() ? "the index" : "PostgreSQL";
    String what = switch (action) {
      case COPIED_TO_SECONDARY, COPIED_TO_PRIMARY -> (dryRun ? "Would copy " : "Copied ") + abilityId + " to ";
      case UPDATED_IN_SECONDARY, UPDATED_IN_PRIMARY -> (dryRun ? "Would update " : "Updated ") + abilityId + " in ";
      case DELETED_FROM_SECONDARY, DELETED_FROM_PRIMARY -> (dryRun ? "Would delete " : "Deleted ") + abilityId
          + " from ";
    };
    return what + store + " (" + reason + (queued ? "; queued" : "") + ")";
  }
}
