package dev.abilitystore.replication;

import dev.abilitystore.Ability;
import dev.abilitystore.SecondaryState;
import dev.abilitystore.port.RecordStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes to the secondary store, or, when it cannot, to the durable replication queue.
 *
 * <p>A batch goes straight to the record store while the queue is empty, bounded by a timeout;
 * if that fails or times out, or if the queue already holds writes (the store is down, or its
 * backlog has not drained yet, and order must be kept), the batch is appended to the queue,
 * fsynced, and the {@link Replicator} is woken. Either way, when a call returns normally the
 * batch is in PostgreSQL or on disk in the queue; if even the queue refuses it (full, disk
 * error), the call throws and nothing is acknowledged.
 *
 * <p>A write that timed out may still complete in PostgreSQL later; the queued copy is then
 * delivered again, which the store's idempotent upsert makes harmless. Callers hold the ids'
 * {@link dev.abilitystore.write.IdLocks} so that writes of one id keep their order. Thread-safe.
 */
public final class SecondaryWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SecondaryWriter.class);

  private final RecordStore store;
  private final @Nullable ReplicationQueue queue;
  private final @Nullable Replicator replicator;
  private final Duration timeout;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  /**
   * @param store the secondary, possibly {@link RecordStore#disabled()}
   * @param queue where writes wait while the store is down; null only when the store is disabled
   * @param replicator the queue's deliverer, woken when writes are queued
   * @param timeout the longest a direct write may take before it is queued instead
   */
  public SecondaryWriter(RecordStore store, @Nullable ReplicationQueue queue, @Nullable Replicator replicator,
      Duration timeout) {
    if (store.enabled() && queue == null) {
      throw new IllegalArgumentException("an enabled record store needs a replication queue");
    }
    this.store = store;
    this.queue = queue;
    this.replicator = replicator;
    this.timeout = timeout;
  }

  /** True when a secondary store is configured. */
  public boolean enabled() {
    return store.enabled();
  }

  /** Returns how many writes wait in the replication queue (0 without PostgreSQL). */
  public long queuedWrites() {
    return queue == null ? 0 : queue.depth();
  }

  /**
   * Refuses a batch that would have to be queued (writes already wait) but would not fit, so that
   * the caller fails before the primary is written and nothing is left half-stored. The size is
   * estimated on the high side: an embedding's JSON takes at most about 13 bytes a component.
   *
   * @throws ReplicationQueueFullException if the batch would not fit
   */
  public void ensureRoomFor(List<Ability> abilities) {
    if (queue == null || queue.depth() == 0) {
      return;
    }
    long estimate = 0;
    for (Ability ability : abilities) {
      int dimension = ability.embedding() == null ? 0 : ability.embedding().dimension();
      estimate += 13L * dimension + 2L * (ability.abilityName().length() + ability.description().length()) + 4096;
    }
    queue.ensureRoom(estimate);
  }

  /** Upserts the abilities in the store or queues them; says which. */
  public SecondaryState upsert(List<Ability> abilities) {
    if (!store.enabled() || abilities.isEmpty()) {
      return store.enabled() ? SecondaryState.STORED : SecondaryState.DISABLED;
    }
    return write(() -> store.upsert(abilities), abilities.stream().map(QueuedWrite::upsert).toList(), "upsert");
  }

  /** Deletes the abilities from the store or queues the deletes; says which. */
  public SecondaryState delete(List<String> abilityIds) {
    if (!store.enabled() || abilityIds.isEmpty()) {
      return store.enabled() ? SecondaryState.STORED : SecondaryState.DISABLED;
    }
    return write(() -> store.delete(abilityIds), abilityIds.stream().map(QueuedWrite::delete).toList(), "delete");
  }

  private SecondaryState write(Supplier<?> direct, List<QueuedWrite> writes, String operation) {
    ReplicationQueue queue = java.util.Objects.requireNonNull(this.queue);
    long waiting = queue.depth();
    if (waiting == 0) {
      Future<?> attempt = executor.submit(direct::get);
      try {
        attempt.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return SecondaryState.STORED;
      } catch (TimeoutException e) {
        attempt.cancel(true);
        enqueue(writes, operation, "PostgreSQL did not answer within " + timeout.toMillis() + " ms");
        return SecondaryState.QUEUED;
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        enqueue(writes, operation, cause.getMessage());
        return SecondaryState.QUEUED;
      } catch (InterruptedException e) {
        // Queue first: file channels refuse work on an interrupted thread.
        enqueue(writes, operation, "interrupted while waiting for PostgreSQL");
        Thread.currentThread().interrupt();
        return SecondaryState.QUEUED;
      }
    }
    enqueue(writes, operation, waiting + " earlier writes are still queued");
    return SecondaryState.QUEUED;
  }

  private void enqueue(List<QueuedWrite> writes, String operation, @Nullable String reason) {
    ReplicationQueue queue = java.util.Objects.requireNonNull(this.queue);
    queue.append(writes);
    for (QueuedWrite write : writes) {
      log.warn("[Queue] Queued {} of {} for PostgreSQL: {}", operation, write.abilityId(), reason);
    }
    if (replicator != null) {
      replicator.wake();
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
