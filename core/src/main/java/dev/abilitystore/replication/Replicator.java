package dev.abilitystore.replication;

import dev.abilitystore.Ability;
import dev.abilitystore.StoreRefusedException;
import dev.abilitystore.port.RecordStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the replication queue to the record store, oldest write first.
 *
 * <p>Design notes. One drain runs at a time (drains on the injected scheduler and direct calls of
 * {@link #drainOnce()} exclude each other, since a peek and its acknowledgements belong together). A drain takes a batch
 * from the head of the queue and splits it into runs of consecutive upserts or deletes; each run
 * is written to the record store and then acknowledged, so progress survives a failure in a
 * later run, and order is kept (an upsert and a later delete of the same id land in that order).
 * When the head holds two batches of upserts with no ability in both, they are delivered at once,
 * on two connections, so that one's preparation overlaps the other's statement (their relative
 * order cannot matter); a drain never returns while one of them is still in flight.
 * On failure the drain stops, and the next one is scheduled after an exponential backoff with
 * jitter ({@link Backoff}); on success it goes on until the queue is empty, then waits for
 * {@link #wake()} or the idle check. Because the record store's upsert is idempotent and skips
 * unchanged content, a write delivered twice (a crash between delivery and acknowledgement)
 * changes nothing.
 *
 * <p>A run PostgreSQL refuses for good ({@link StoreRefusedException}: a constraint, a value out
 * of its range, a missing privilege) would block the queue for ever if retried; instead its
 * writes are delivered one at a time, and each one refused is set aside in {@link ParkedWrites}
 * (the primary holds it; a sync repairs it once the cause is fixed) while the rest go on.
 * Thread-safe.
 */
public final class Replicator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Replicator.class);
  /** Writes per drain step. */
  public static final int DEFAULT_BATCH_SIZE = 500;
  private static final Duration IDLE_CHECK = Duration.ofSeconds(5);

  private final ReplicationQueue queue;
  private final ParkedWrites parked;
  private final RecordStore store;
  private final ScheduledExecutorService scheduler;
  private final Backoff backoff;
  private final RandomGenerator random;
  private final InstantSource clock;
  private final int batchSize;
  private final Object lock = new Object();
  /** Held while delivering: a peek and its acknowledgements must not interleave with another drain's. */
  private final Object draining = new Object();
  private int failures;
  private @Nullable String lastError;
  private @Nullable Instant nextAttempt;
  private long delivered;
  private int acknowledgedInDrain;
  private @Nullable ScheduledFuture<?> scheduled;
  private boolean closed;

  public Replicator(ReplicationQueue queue, ParkedWrites parked, RecordStore store, ScheduledExecutorService scheduler,
      Backoff backoff, RandomGenerator random, InstantSource clock, int batchSize) {
    this.queue = queue;
    this.parked = parked;
    this.store = store;
    this.scheduler = scheduler;
    this.backoff = backoff;
    this.random = random;
    this.clock = clock;
    this.batchSize = batchSize;
  }

  /**
   * What the replicator is doing, for {@code /ready}, {@code /metrics} and the dashboard.
   *
   * @param parked abilities whose last write PostgreSQL refused for good, set aside until a sync
   *     finds both stores agreeing on them
   */
  public record Status(long depth, Optional<Duration> oldestAge, int consecutiveFailures,
      @Nullable String lastError, @Nullable Instant nextAttempt, long delivered, int parked) {}

  /** Starts draining in the background: now, and whenever {@link #wake()} is called or the idle check finds work. */
  public void start() {
    schedule(Duration.ZERO);
  }

  /** A write was queued: drain soon, unless a retry is already waiting out its backoff. */
  public void wake() {
    synchronized (lock) {
      if (failures == 0) {
        schedule(Duration.ZERO);
      }
    }
  }

  /**
   * Delivers one batch from the head of the queue and returns how many writes it delivered.
   *
   * @throws dev.abilitystore.AbilityStoreException if the record store failed; what was
   *     delivered before the failure stays acknowledged
   */
  public int drainOnce() {
    synchronized (draining) {
      return deliverBatch();
    }
  }

  private int deliverBatch() {
    acknowledgedInDrain = 0;
    List<QueuedWrite> batch = queue.peek(batchSize * 2);
    try {
      if (batch.size() > batchSize && upsertsOfDisjointHalves(batch)) {
        deliverHalvesTogether(batch.subList(0, batchSize), batch.subList(batchSize, batch.size()));
      } else {
        deliverInRuns(batch);
      }
    } catch (StoreRefusedException e) {
      deliverOneByOne(queue.peek(batchSize));
    }
    return acknowledgedInDrain;
  }

  /**
   * Delivers writes one at a time, setting aside each one PostgreSQL refuses for good; stops at
   * the first failure of any other kind (an outage), which propagates.
   */
  private void deliverOneByOne(List<QueuedWrite> writes) {
    for (QueuedWrite write : writes) {
      try {
        write(List.of(write));
        acknowledge(List.of(write));
      } catch (StoreRefusedException refused) {
        parked.park(write, String.valueOf(refused.getMessage()));
        log.error("[Queue] PostgreSQL refused the {} of {} for good; set aside in {} (the primary holds it, "
            + "and a sync repairs it once the cause is fixed): {}",
            write.operation().name().toLowerCase(java.util.Locale.ROOT), write.abilityId(), ParkedWrites.FILE_NAME,
            refused.getMessage());
        queue.acknowledge(1);
        acknowledgedInDrain++;
      }
    }
  }

  /** Delivers runs of consecutive upserts or deletes one after the other, acknowledging each. */
  private void deliverInRuns(List<QueuedWrite> batch) {
    int start = 0;
    while (start < batch.size()) {
      QueuedWrite.Operation operation = batch.get(start).operation();
      int end = start;
      while (end < batch.size() && batch.get(end).operation() == operation) {
        end++;
      }
      List<QueuedWrite> run = batch.subList(start, end);
      write(run);
      acknowledge(run);
      start = end;
    }
  }

  /**
   * Delivers two batches of upserts of different abilities at once, on two connections, so that
   * one batch's preparation overlaps the other's statement; their order does not matter, since no
   * ability is in both. The first is acknowledged if it succeeded, the second only with it.
   */
  private void deliverHalvesTogether(List<QueuedWrite> first, List<QueuedWrite> second) {
    CompletableFuture<Void> secondWrite = CompletableFuture.runAsync(() -> write(second),
        runnable -> Thread.ofVirtual().name("abilitystore-replicator-second").start(runnable));
    try {
      write(first);
    } catch (RuntimeException e) {
      // Never return while a write is still in flight: it could land after a later delivery.
      secondWrite.exceptionally(ignored -> null).join();
      throw e;
    }
    acknowledge(first);
    try {
      secondWrite.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException failure ? failure : e;
    }
    acknowledge(second);
  }

  /** True when every write is an upsert and no ability is in both the first {@code batchSize} and the rest. */
  private boolean upsertsOfDisjointHalves(List<QueuedWrite> batch) {
    Set<String> firstIds = new HashSet<>();
    for (int i = 0; i < batch.size(); i++) {
      QueuedWrite write = batch.get(i);
      if (write.operation() != QueuedWrite.Operation.UPSERT) {
        return false;
      }
      if (i < batchSize) {
        firstIds.add(write.abilityId());
      } else if (firstIds.contains(write.abilityId())) {
        return false;
      }
    }
    return true;
  }

  private void write(List<QueuedWrite> run) {
    if (run.get(0).operation() == QueuedWrite.Operation.UPSERT) {
      List<Ability> abilities = new ArrayList<>(run.size());
      run.forEach(write -> abilities.add(java.util.Objects.requireNonNull(write.ability())));
      store.upsert(abilities);
    } else {
      store.delete(run.stream().map(QueuedWrite::abilityId).toList());
    }
  }

  private void acknowledge(List<QueuedWrite> run) {
    queue.acknowledge(run.size());
    acknowledgedInDrain += run.size();
    synchronized (lock) {
      delivered += run.size();
    }
    for (QueuedWrite write : run) {
      log.info("[Queue] Delivered queued {} of {} to PostgreSQL (queued at {})",
          write.operation().name().toLowerCase(java.util.Locale.ROOT), write.abilityId(), write.enqueuedAt());
    }
  }

  /** Returns the queue's depth, the age of its oldest write and the state of delivery. */
  public Status status() {
    Optional<Duration> age = queue.oldestEnqueuedAt().map(at -> Duration.between(at, clock.instant()));
    synchronized (lock) {
      return new Status(queue.depth(), age, failures, lastError, nextAttempt, delivered, parked.count());
    }
  }

  private void run() {
    synchronized (lock) {
      scheduled = null;
      if (closed) {
        return;
      }
    }
    try {
      while (queue.depth() > 0) {
        int done = drainOnce();
        synchronized (lock) {
          if (failures > 0) {
            log.info("[Queue] PostgreSQL is back after {} failed deliveries; {} writes wait", failures, queue.depth());
          }
          failures = 0;
          lastError = null;
          nextAttempt = null;
        }
        if (done == 0) {
          break;
        }
      }
      schedule(IDLE_CHECK);
    } catch (RuntimeException e) {
      Duration wait;
      synchronized (lock) {
        failures++;
        lastError = e.getMessage();
        wait = backoff.delay(failures, random);
        nextAttempt = clock.instant().plus(wait);
      }
      log.warn("[Queue] Delivering queued writes to PostgreSQL failed ({}); {} wait; retry {} in {} ms",
          e.getMessage(), queue.depth(), failures + 1, wait.toMillis());
      schedule(wait);
    }
  }

  private void schedule(Duration delay) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (scheduled != null) {
        if (scheduled.getDelay(TimeUnit.MILLISECONDS) <= delay.toMillis()) {
          return;
        }
        scheduled.cancel(false);
      }
      scheduled = scheduler.schedule(this::run, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      if (scheduled != null) {
        scheduled.cancel(false);
      }
    }
  }
}
