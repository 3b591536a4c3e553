package dev.abilitystore.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.Page;
import dev.abilitystore.integration.LoadWorker.Operation;
import dev.abilitystore.postgres.testing.TcpProxy;
import dev.abilitystore.server.ApiServer;
import dev.abilitystore.server.ServerConfig;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sustained mixed load over loopback HTTP against the real server ({@link ApiServer} over Lucene
 * and PostgreSQL, the hashing embedder), with PostgreSQL cut off for a few seconds in the middle:
 * every answer is the expected 2xx (or 404 for another worker's deleted ability) and agrees with
 * what was acknowledged, the heap in use after a full collection stays under a ceiling and does not
 * grow, the replication queue drains, and both stores end holding exactly the same content, with
 * every acknowledged write and delete.
 *
 * <p>{@value #WORKERS} closed-loop {@link LoadWorker}s search (vector, keyword, hybrid, some with
 * filters), get, list pages with filters and cursors, store batches, update and delete, for
 * {@link #LOAD} or {@link #MAX_REQUESTS} requests, whichever ends first: 10 s inside
 * {@code verify}, 60 s with {@code -Preliability}. The figures (throughput, latency per operation,
 * heap, queue depth) go to {@code target/reliability/SustainedLoadTest.json}; they are reported,
 * never asserted.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SustainedLoadTest extends DualStoreTest {
  private static final Duration LOAD = Duration.ofSeconds(Reliability.scaled(10, 60));
  private static final int MAX_REQUESTS = Reliability.scaled(20_000, 120_000);
  private static final int WORKERS = 8;
  private static final long SEED = 20_250_917L;
  private static final int SEED_BATCH = 500;
  private static final Duration OUTAGE_STARTS = LOAD.multipliedBy(2).dividedBy(5);
  private static final Duration OUTAGE = Duration.ofSeconds(Reliability.scaled(2, 5));
  private static final Duration HEAP_SAMPLE_PERIOD = LOAD.dividedBy(15);
  private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(2);
  /*
   * The heap bound. The live set of this JVM under this load (Lucene's readers and buffers, the
   * read cache holding the ~2,000 abilities, the query-embedding cache, Jetty, the connection pool,
   * JUnit, the workers' bookkeeping) measures 20 to 27 MiB after a full collection. The ceiling
   * allows about 4 times that, far below the default maximum heap (a quarter of the machine's
   * memory), so that a leak cannot hide in a large heap. A leak shows as a rising floor: the lowest
   * sample of the last third of the run may exceed the lowest of the first third by at most the
   * growth allowance, 3 to 4 times the spread measured between samples once the caches are warm
   * (in-flight requests, Lucene's flushed but unmerged segments, pooled buffers). Keeping a few KiB
   * per request (a request or an answer) passes it within the full run.
   */
  private static final double HEAP_CEILING_MIB = 96;
  private static final double HEAP_GROWTH_MIB = 8;
  private static final int MIN_HEAP_SAMPLES = 9;

  @Test
  void mixedLoad_sustainedWithPostgresOutage_noErrorsBoundedHeapAndEveryAcknowledgedWriteInBothStores()
      throws InterruptedException {
    try (TcpProxy proxy = TcpProxy.inFrontOf(database.config());
        AbilityStore store = DualStore.open(Primary.LUCENE, dataDirectory, proxy.proxied(database.config()), null)) {
      List<Ability> seed = LoadWorker.seed();
      for (int start = 0; start < seed.size(); start += SEED_BATCH) {
        store.store(seed.subList(start, Math.min(start + SEED_BATCH, seed.size())));
      }
      // The bounded caches (abilities read, query embeddings) fill before the heap is first
      // sampled, so that their filling does not pass for growth.
      seed.forEach(ability -> store.get(ability.abilityId()));
      LoadWorker.QUERIES.forEach(store.embedder()::embedQuery);
      try (ApiServer server = ApiServer.start(store, ServerConfig.defaults().withPort(0))) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
        List<LoadWorker> workers = new ArrayList<>();
        LoadWorker.Budget budget = LoadWorker.Budget.of(MAX_REQUESTS, LOAD);
        for (int index = 0; index < WORKERS; index++) {
          workers.add(new LoadWorker(index, WORKERS, client, server.uri(), budget, SEED));
        }
        AtomicLong maxQueueDepth = new AtomicLong();
        AtomicLong outageNanos = new AtomicLong();
        List<Double> heapMib;
        double loadSeconds;
        ScheduledExecutorService monitor = Executors.newSingleThreadScheduledExecutor();
        try (HeapSampler heap = HeapSampler.start(HEAP_SAMPLE_PERIOD)) {
          monitor.scheduleAtFixedRate(() -> maxQueueDepth.accumulateAndGet(queueDepth(store), Math::max),
              0, 100, TimeUnit.MILLISECONDS);
          monitor.schedule(() -> {
            proxy.cut();
            long cut = System.nanoTime();
            monitor.schedule(() -> {
              proxy.restore();
              outageNanos.set(System.nanoTime() - cut);
            }, OUTAGE.toMillis(), TimeUnit.MILLISECONDS);
          }, OUTAGE_STARTS.toMillis(), TimeUnit.MILLISECONDS);
          long started = System.nanoTime();
          try (ExecutorService threads = Executors.newFixedThreadPool(WORKERS)) {
            workers.forEach(threads::execute);
          }
          loadSeconds = (System.nanoTime() - started) / 1e9;
          heap.sample();
          heapMib = heap.samplesMib();
        } finally {
          monitor.shutdownNow();
          assertThat(monitor.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
          proxy.restore();
        }

        long drainStarted = System.nanoTime();
        while (queueDepth(store) > 0 && System.nanoTime() - drainStarted < DRAIN_TIMEOUT.toNanos()) {
          Thread.sleep(20);
        }
        double drainSeconds = (System.nanoTime() - drainStarted) / 1e9;
        long depthAtEnd = queueDepth(store);

        Map<String, Integer> errors = new TreeMap<>();
        List<String> errorSamples = new ArrayList<>();
        Map<String, @Nullable String> expected = new HashMap<>();
        Set<String> uncertain = new HashSet<>();
        Map<String, Integer> secondaryStates = new TreeMap<>();
        for (int index = 0; index < LoadWorker.STABLE; index++) {
          String abilityId = LoadWorker.stableId(index);
          expected.put(abilityId, LoadWorker.ability(abilityId, index, LoadWorker.SEED_VERSION, null).description());
        }
        for (LoadWorker worker : workers) {
          worker.errors().forEach((kind, count) -> errors.merge(kind, count, Integer::sum));
          errorSamples.addAll(worker.errorSamples());
          expected.putAll(worker.expected());
          uncertain.addAll(worker.uncertain());
          worker.secondaryStates().forEach((state, count) -> secondaryStates.merge(state, count, Integer::sum));
        }
        List<String> lost = new ArrayList<>();
        lost.addAll(missing("index", expected, uncertain, descriptions(store.primary()::scan)));
        lost.addAll(missing("PostgreSQL", expected, uncertain, descriptions(store.secondary()::scan)));

        Reliability.report("SustainedLoadTest", figures(workers, loadSeconds, errors, heapMib, outageNanos.get(),
            maxQueueDepth.get(), depthAtEnd, drainSeconds, secondaryStates, lost.size()));

        assertThat(errors).as("errors by operation and kind; the first: %s", errorSamples).isEmpty();
        assertThat(heapMib).as("heap in use after a full collection, MiB").hasSizeGreaterThanOrEqualTo(MIN_HEAP_SAMPLES)
            .allSatisfy(sample -> assertThat(sample).isLessThan(HEAP_CEILING_MIB));
        assertThat(floor(heapMib, 2)).as("the lowest heap sample of the last third, MiB, against the first's: %s",
            heapMib).isLessThanOrEqualTo(floor(heapMib, 0) + HEAP_GROWTH_MIB);
        assertThat(depthAtEnd).as("replication queue depth %s after the load", DRAIN_TIMEOUT).isZero();
        assertThat(lost).as("acknowledged writes missing or stale (id: expected, held)").isEmpty();
        DualStore.assertStoresEqual(store);
      }
    }
  }

  private static long queueDepth(AbilityStore store) {
    return store.replication().orElseThrow().depth();
  }

  /** Returns the ability ids a store holds with their descriptions. */
  private static Map<String, String> descriptions(BiFunction<@Nullable String, Integer, Page<Ability>> scan) {
    Map<String, String> descriptions = new HashMap<>();
    String after = null;
    while (true) {
      List<Ability> page = scan.apply(after, 1000).items();
      if (page.isEmpty()) {
        return descriptions;
      }
      page.forEach(ability -> descriptions.put(ability.abilityId(), ability.description()));
      after = page.get(page.size() - 1).abilityId();
    }
  }

  /** Returns what {@code held} lacks or holds wrongly of what was acknowledged, as "store id: expected, held". */
  private static List<String> missing(String storeName, Map<String, @Nullable String> expected, Set<String> uncertain,
      Map<String, String> held) {
    List<String> missing = new ArrayList<>();
    expected.forEach((abilityId, description) -> {
      if (!uncertain.contains(abilityId) && !Objects.equals(description, held.get(abilityId))) {
        missing.add(storeName + " " + abilityId + ": " + description + ", " + held.get(abilityId));
      }
    });
    held.keySet().stream().filter(abilityId -> !expected.containsKey(abilityId) && !uncertain.contains(abilityId))
        .forEach(abilityId -> missing.add(storeName + " " + abilityId + ": never written, " + held.get(abilityId)));
    return missing;
  }

  /** Returns the lowest sample of third {@code third} (0, 1 or 2) of the run. */
  private static double floor(List<Double> samples, int third) {
    int size = samples.size();
    return samples.subList(third * size / 3, (third + 1) * size / 3).stream().mapToDouble(Double::doubleValue)
        .min().orElseThrow();
  }

  private static Map<String, Object> figures(List<LoadWorker> workers, double loadSeconds, Map<String, Integer> errors,
      List<Double> heapMib, long outageNanos, long maxQueueDepth, long depthAtEnd, double drainSeconds,
      Map<String, Integer> secondaryStates, int lost) {
    Map<String, Integer> requests = new LinkedHashMap<>();
    Map<String, Map<String, Double>> latencies = new LinkedHashMap<>();
    int total = 0;
    for (Operation operation : Operation.values()) {
      long[] nanos = workers.stream().map(worker -> worker.nanos(operation)).flatMapToLong(Arrays::stream)
          .sorted().toArray();
      requests.put(operation.figureName(), nanos.length);
      Map<String, Double> percentiles = new LinkedHashMap<>();
      percentiles.put("p50_ms", millis(nanos, 50));
      percentiles.put("p99_ms", millis(nanos, 99));
      latencies.put(operation.figureName(), percentiles);
      total += nanos.length;
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("seconds", rounded(loadSeconds));
    figures.put("workers", WORKERS);
    figures.put("max_requests", MAX_REQUESTS);
    figures.put("requests", total);
    figures.put("requests_per_operation", requests);
    figures.put("requests_per_second", rounded(total / loadSeconds));
    figures.put("latency_ms", latencies);
    figures.put("gets_of_deleted_abilities", workers.stream().mapToInt(LoadWorker::notFound).sum());
    figures.put("errors", errors.values().stream().mapToInt(Integer::intValue).sum());
    Map<String, Object> heap = new LinkedHashMap<>();
    heap.put("first", rounded(heapMib.get(0)));
    heap.put("max", rounded(heapMib.stream().mapToDouble(Double::doubleValue).max().orElseThrow()));
    heap.put("last", rounded(heapMib.get(heapMib.size() - 1)));
    heap.put("samples", heapMib.stream().map(SustainedLoadTest::rounded).toList());
    figures.put("heap_used_after_gc_mib", heap);
    figures.put("postgres_outage_seconds", rounded(outageNanos / 1e9));
    figures.put("max_queue_depth", maxQueueDepth);
    figures.put("queue_depth_at_end", depthAtEnd);
    figures.put("drain_seconds_after_load", rounded(drainSeconds));
    figures.put("acknowledged_writes", workers.stream().mapToInt(LoadWorker::acknowledgedWrites).sum());
    figures.put("acknowledged_deletes", workers.stream().mapToInt(LoadWorker::acknowledgedDeletes).sum());
    figures.put("secondary_on_acknowledgement", secondaryStates);
    figures.put("lost", lost);
    return figures;
  }

  /** Returns the nearest-rank percentile of sorted latencies in milliseconds, to microseconds. */
  private static double millis(long[] sortedNanos, double percentile) {
    if (sortedNanos.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(percentile / 100 * sortedNanos.length);
    return rounded(sortedNanos[Math.clamp(rank - 1, 0, sortedNanos.length - 1)] / 1e6);
  }

  private static double rounded(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
