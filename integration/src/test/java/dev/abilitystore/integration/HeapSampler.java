package dev.abilitystore.integration;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the heap in use right after a full collection, once per period on its own thread: what
 * the process keeps alive, without the garbage that comes and goes between collections, so that a
 * leak shows as a rising floor. Each sample forces the collection ({@link MemoryMXBean#gc()}, a
 * stop-the-world full collection with G1 unless explicit collections are made concurrent or
 * disabled), which pauses the process under test: a few pauses per second at most. Thread-safe.
 */
final class HeapSampler implements AutoCloseable {
  private static final double MIB = 1024.0 * 1024.0;

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final List<Double> samplesMib = new ArrayList<>();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "heap-sampler");
    thread.setDaemon(true);
    return thread;
  });

  private HeapSampler() {}

  /** Takes a sample every {@code period}, the first one period from now. */
  static HeapSampler start(Duration period) {
    HeapSampler sampler = new HeapSampler();
    sampler.scheduler.scheduleWithFixedDelay(sampler::sample, period.toMillis(), period.toMillis(),
        TimeUnit.MILLISECONDS);
    return sampler;
  }

  /**
   * Collects, then records the heap in use in MiB.
   *
   * @throws IllegalStateException if no collection ran: explicit collections are disabled
   */
  double sample() {
    long collections = collections();
    memory.gc();
    double usedMib = memory.getHeapMemoryUsage().getUsed() / MIB;
    if (collections() == collections) {
      throw new IllegalStateException("System.gc() collected nothing: drop -XX:+DisableExplicitGC from the argLine");
    }
    synchronized (samplesMib) {
      samplesMib.add(usedMib);
    }
    return usedMib;
  }

  /** Returns the samples so far, in MiB, oldest first. */
  List<Double> samplesMib() {
    synchronized (samplesMib) {
      return List.copyOf(samplesMib);
    }
  }

  private static long collections() {
    long count = 0;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, collector.getCollectionCount());
    }
    return count;
  }

  /** Stops sampling; a sample in progress completes first. */
  @Override
  public void close() {
    scheduler.shutdown();
    try {
      if (!scheduler.awaitTermination(1, TimeUnit.MINUTES)) {
        throw new IllegalStateException("the heap sampler did not stop within a minute");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the heap sampler", e);
    }
  }
}
