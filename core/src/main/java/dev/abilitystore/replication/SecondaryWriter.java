package dev.abilitystore.replication;

import dev.abilitystore.Ability;
import dev.abilitystore.SecondaryState;
import dev.abilitystore.port.PrimaryWrite;
import dev.abilitystore.port.RecordStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * <p>{@link #upsertBeside} runs an upsert side by side with the primary's write of the same
 * batch ({@link RecordStore#upsertAfter}): PostgreSQL prepares its transaction while the primary
 * writes and commits only after the primary succeeded, so a batch costs the slower of the two
 * writes instead of their sum, and PostgreSQL still never holds a write the primary refused.
 * The timeout then counts from the end of the primary's write.
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

  /**
   * What {@link #upsertBeside} did.
   *
   * @param primary what the primary's write returned
   * @param secondary where the batch stands in the secondary
   */
  public record Written<T>(T primary, SecondaryState secondary) {}

  /**
   * Runs {@code primaryWrite}, the primary's write of {@code abilities}, and upserts them in the
   * store side by side, committed only once the primary's write has succeeded; or, when writes
   * already wait in the queue, runs the primary's write and then queues the batch. If the
   * primary's write throws, the store's transaction is rolled back (waited for up to the
   * timeout), nothing is queued, and the exception propagates.
   */
  public <T> Written<T> upsertBeside(List<Ability> abilities, Supplier<T> primaryWrite) {
    if (!store.enabled() || abilities.isEmpty() || queuedWrites() > 0) {
      T result = primaryWrite.get();
      return new Written<>(result, upsert(abilities));
    }
    PrimaryOutcome outcome = new PrimaryOutcome();
    Future<?> attempt = executor.submit(() -> store.upsertAfter(abilities, outcome));
    T result;
    try {
      result = primaryWrite.get();
    } catch (RuntimeException | Error e) {
      outcome.settle(false);
      awaitQuietly(attempt);
      throw e;
    }
    outcome.settle(true);
    return new Written<>(result, await(attempt, abilities.stream().map(QueuedWrite::upsert).toList(), "upsert"));
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
      return await(executor.submit(direct::get), writes, operation);
    }
    enqueue(writes, operation, waiting + " earlier writes are still queued");
    return SecondaryState.QUEUED;
  }

  /** Waits up to the timeout for a direct write; queues the batch if it failed or took too long. */
  private SecondaryState await(Future<?> attempt, List<QueuedWrite> writes, String operation) {
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

  /** Waits up to the timeout for an abandoned write to roll back; its outcome no longer matters. */
  private void awaitQuietly(Future<?> attempt) {
    try {
      attempt.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      attempt.cancel(true);
    } catch (ExecutionException e) {
      log.debug("[DB] abandoned upsert ended with {}", e.getCause() == null ? e : e.getCause().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The primary's outcome, settled once by the writing thread, awaited by the store's. */
  private static final class PrimaryOutcome implements PrimaryWrite {
    private final CompletableFuture<Boolean> settled = new CompletableFuture<>();

    void settle(boolean succeeded) {
      settled.complete(succeeded);
    }

    @Override
    public boolean succeeded() {
      try {
        return settled.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (ExecutionException e) {
        return false;
      }
    }
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
