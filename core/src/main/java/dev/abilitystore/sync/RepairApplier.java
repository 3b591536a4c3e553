package dev.abilitystore.sync;

import dev.abilitystore.Ability;
import dev.abilitystore.Embedding;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.SecondaryState;
import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.port.RecordStore;
import dev.abilitystore.port.VectorIndex;
import dev.abilitystore.replication.SecondaryWriter;
import dev.abilitystore.sync.SyncReport.Action;
import dev.abilitystore.write.IdLocks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a batch of repairs the scan asked for, after deciding each again under the ids' locks
 * from fresh reads of both stores: a write that landed after the scan read an ability is what
 * gets copied, never overwritten by the older copy the scan saw. Writes to PostgreSQL go
 * through the {@link SecondaryWriter}, so they queue if it fails. Thread-safe if its stores are.
 */
final class RepairApplier {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  private final VectorIndex primary;
  private final RecordStore secondary;
  private final SecondaryWriter secondaryWriter;
  private final IdLocks locks;
  private final RepairRule rule;

  RepairApplier(VectorIndex primary, RecordStore secondary, SecondaryWriter secondaryWriter, IdLocks locks,
      RepairRule rule) {
    this.primary = primary;
    this.secondary = secondary;
    this.secondaryWriter = secondaryWriter;
    this.locks = locks;
    this.rule = rule;
  }

  /** Repairs these abilities as their stores hold them now, and tallies and logs what it did. */
  void apply(List<String> abilityIds, Tally tally) {
    try (IdLocks.Held held = locks.lock(abilityIds)) {
      Map<String, Ability> inPrimary = byId(call(Reconciler.PRIMARY, "read", tally,
          () -> primary.getAll(abilityIds)));
      Map<String, Ability> inSecondary = byId(call(Reconciler.SECONDARY, "read", tally,
          () -> secondary.getAll(abilityIds)));
      List<PlannedRepair> repairs = new ArrayList<>();
      for (String abilityId : abilityIds) {
        Ability fromPrimary = inPrimary.get(abilityId);
        Ability fromSecondary = inSecondary.get(abilityId);
        PlannedRepair repair = rule.decide(Difference.of(fromPrimary, fromSecondary), abilityId, fromPrimary,
            fromSecondary);
        if (repair != null && fitsItsTarget(repair)) {
          repairs.add(repair);
        }
      }
      write(repairs, tally);
    }
  }

  private void write(List<PlannedRepair> repairs, Tally tally) {
    List<Ability> toPrimary = copies(repairs, Action.COPIED_TO_PRIMARY, Action.UPDATED_IN_PRIMARY);
    List<String> fromPrimary = deletions(repairs, Action.DELETED_FROM_PRIMARY);
    List<Ability> toSecondary = copies(repairs, Action.COPIED_TO_SECONDARY, Action.UPDATED_IN_SECONDARY);
    List<String> fromSecondary = deletions(repairs, Action.DELETED_FROM_SECONDARY);
    if ((!toPrimary.isEmpty() || !fromPrimary.isEmpty()) && secondaryWriter.queuedWrites() > 0) {
      // PostgreSQL's copies are behind the queue: copying them into the index could undo acknowledged writes.
      throw new StoreUnavailableException("[Sync] stopped before changing the index: " + secondaryWriter.queuedWrites()
          + " writes wait in the replication queue, so PostgreSQL's copies may be older than the index's; "
          + "run sync again once PostgreSQL is reachable and the queue has drained");
    }
    if (!toPrimary.isEmpty()) {
      call(Reconciler.PRIMARY, "write to", tally, () -> primary.upsert(toPrimary));
    }
    if (!fromPrimary.isEmpty()) {
      perform(Reconciler.PRIMARY, "delete from", tally, () -> primary.delete(fromPrimary));
    }
    // A row edited behind the store's back may still carry the content hash of what it held
    // before, and the upsert skips rows whose hash matches: stale rows are deleted first.
    List<String> staleInSecondary = deletions(repairs, Action.UPDATED_IN_SECONDARY);
    if (!staleInSecondary.isEmpty()) {
      secondaryWriter.delete(staleInSecondary);
    }
    boolean copiesQueued = !toSecondary.isEmpty() && secondaryWriter.upsert(toSecondary) == SecondaryState.QUEUED;
    boolean deletionsQueued = !fromSecondary.isEmpty()
        && secondaryWriter.delete(fromSecondary) == SecondaryState.QUEUED;
    for (PlannedRepair repair : repairs) {
      boolean queued = !repair.action().changesPrimary() && (repair.action().deletes() ? deletionsQueued
          : copiesQueued);
      tally.repaired(repair);
      log.info("[Sync] {}", repair.describe(false, queued));
    }
  }

  /** False, with a warning, for a PostgreSQL row that cannot go into the index as it is. */
  private boolean fitsItsTarget(PlannedRepair repair) {
    Ability copy = repair.copy();
    if (copy == null || !repair.action().changesPrimary()) {
      return true;
    }
    Embedding embedding = copy.embedding();
    if (embedding != null && embedding.dimension() == primary.dimension()) {
      return true;
    }
    log.warn("[Sync] Cannot copy {} to the index: its PostgreSQL row has {}, the index holds {} dimensions; "
        + "store it again to embed it", repair.abilityId(),
        embedding == null ? "no embedding" : "an embedding of " + embedding.dimension() + " dimensions",
        primary.dimension());
    return false;
  }

  private static List<Ability> copies(List<PlannedRepair> repairs, Action copied, Action updated) {
    return repairs.stream()
        .filter(repair -> repair.action() == copied || repair.action() == updated)
        .map(repair -> Objects.requireNonNull(repair.copy()))
        .toList();
  }

  private static List<String> deletions(List<PlannedRepair> repairs, Action deleted) {
    return repairs.stream().filter(repair -> repair.action() == deleted).map(PlannedRepair::abilityId).toList();
  }

  private static Map<String, Ability> byId(List<Ability> abilities) {
    Map<String, Ability> byId = new HashMap<>();
    abilities.forEach(ability -> byId.put(ability.abilityId(), ability));
    return byId;
  }

  private static <T> T call(String storeName, String operation, Tally tally, Supplier<T> work) {
    try {
      return work.get();
    } catch (InvalidInputException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new StoreUnavailableException("[Sync] cannot " + operation + " " + storeName + " after "
          + tally.repaired() + " repairs: " + e.getMessage(), e);
    }
  }

  private static void perform(String storeName, String operation, Tally tally, Runnable work) {
    call(storeName, operation, tally, () -> {
      work.run();
      return Boolean.TRUE;
    });
  }
}
