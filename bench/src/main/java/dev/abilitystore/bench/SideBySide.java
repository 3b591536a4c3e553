package dev.abilitystore.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Measures several ways of answering the same queries side by side, so that every variant meets
 * the same machine state: absolute times drift on a shared machine, ratios much less.
 *
 * <ol>
 *   <li><b>Warm-up</b>: every query through every variant in turn, until {@link Settings#warmUpCalls}
 *       calls per variant or {@link Settings#warmUp} have passed, so that the JIT has compiled
 *       every path;</li>
 *   <li><b>latency</b>: {@link Settings#timedPasses} passes; in each, every query is timed once per
 *       variant, the variants taking turns going first; recall is scored on the first pass;</li>
 *   <li><b>throughput</b> per thread count: each variant runs a closed loop over the queries on
 *       that many threads for {@link Settings#throughputRun} in all, in {@value #SLICES} slices, the
 *       variants taking turns (in reverse order every other slice); every call is timed by its
 *       thread.</li>
 * </ol>
 */
final class SideBySide {
  /** Fewest calls per thread in a slice of a throughput run, however slow the variant. */
  private static final int MIN_CALLS = 2;
  /** A throughput run is cut into this many slices, the variants taking turns, in reverse every other slice. */
  private static final int SLICES = 4;

  /**
   * How long each step runs.
   *
   * @param warmUpCalls warm-up ends after this many calls per variant…
   * @param warmUp …or after this long, whichever comes first
   * @param timedPasses timed passes over the queries per variant
   * @param throughputRun how long each variant runs per thread count
   * @param threads the thread counts of the throughput runs
   */
  record Settings(int warmUpCalls, Duration warmUp, int timedPasses, Duration throughputRun, List<Integer> threads) {
    /** {@code --quick}: 2 s warm-up, one timed pass, 0.5 s per throughput run, 1 and 2 threads. */
    static final Settings QUICK = new Settings(5_000, Duration.ofSeconds(2), 1, Duration.ofMillis(500), List.of(1, 2));
    /** {@code --full}: 5,000 calls or 5 s warm-up, three timed passes, 2 s per throughput run, 1 and 2 threads. */
    static final Settings FULL = new Settings(5_000, Duration.ofSeconds(5), 3, Duration.ofSeconds(2), List.of(1, 2));
  }

  /**
   * One way to answer query {@code q} (returning the ids found), and the ids it should find per
   * query (null when there is nothing to score it against, such as the exact scan itself).
   */
  record Variant(String name, @Nullable List<Set<String>> truth, IntFunction<Set<String>> search) {}

  private final Settings settings;

  SideBySide(Settings settings) {
    this.settings = settings;
  }

  Settings settings() {
    return settings;
  }

  /** Measures {@code variants} over queries {@code 0} to {@code queries - 1}; results in the order given. */
  List<Measurement> measure(List<Variant> variants, int queries) throws Exception {
    return measure(variants, queries, settings.timedPasses());
  }

  /**
   * Measures one slow variant on its own (an exact scan would evict the others' data from the
   * caches if interleaved with them): a quarter of the warm-up (slow variants are the exact
   * answers, computed once per query already), one timed pass.
   */
  Measurement measureAlone(Variant variant, int queries) throws Exception {
    return measure(List.of(variant), queries, 1, settings.warmUp().dividedBy(4)).get(0);
  }

  private List<Measurement> measure(List<Variant> variants, int queries, int passes) throws Exception {
    return measure(variants, queries, passes, settings.warmUp());
  }

  /**
   * Runs every query through every variant in turn, until {@link Settings#warmUpCalls} calls per
   * variant or {@code duration} have passed.
   */
  void warmUp(List<Variant> variants, int queries, Duration duration) {
    long started = System.nanoTime();
    for (int calls = 0; calls < settings.warmUpCalls() && System.nanoTime() - started < duration.toNanos(); calls++) {
      for (Variant variant : variants) {
        variant.search().apply(calls % queries);
      }
    }
  }

  private List<Measurement> measure(List<Variant> variants, int queries, int passes, Duration warmUp)
      throws Exception {
    warmUp(variants, queries, warmUp);
    long[][] nanos = new long[variants.size()][passes * queries];
    double[] found = new double[variants.size()];
    for (int pass = 0; pass < passes; pass++) {
      for (int q = 0; q < queries; q++) {
        for (int turn = 0; turn < variants.size(); turn++) {
          int v = (turn + q + pass) % variants.size();
          Variant variant = variants.get(v);
          long started = System.nanoTime();
          Set<String> result = variant.search().apply(q);
          nanos[v][pass * queries + q] = System.nanoTime() - started;
          List<Set<String>> truth = variant.truth();
          if (truth != null && pass == 0) {
            found[v] += recall(result, truth.get(q));
          }
        }
      }
    }
    List<List<Measurement.Throughput>> throughput = new ArrayList<>();
    variants.forEach(variant -> throughput.add(new ArrayList<>()));
    for (int threads : settings.threads()) {
      Run[] runs = new Run[variants.size()];
      for (int slice = 0; slice < SLICES; slice++) {
        for (int turn = 0; turn < variants.size(); turn++) {
          int v = slice % 2 == 0 ? turn : variants.size() - 1 - turn;
          Run run = run(variants.get(v).search(), queries, threads, settings.throughputRun().toNanos() / SLICES);
          runs[v] = runs[v] == null ? run : runs[v].plus(run);
        }
      }
      for (int v = 0; v < variants.size(); v++) {
        throughput.get(v).add(new Measurement.Throughput(threads, runs[v].calls() / (runs[v].nanos() / 1e9),
            runs[v].latencies()));
      }
    }
    List<Measurement> measurements = new ArrayList<>();
    for (int v = 0; v < variants.size(); v++) {
      Variant variant = variants.get(v);
      measurements.add(new Measurement(variant.name(), nanos[v], List.copyOf(throughput.get(v)),
          variant.truth() == null ? Double.NaN : found[v] / queries));
    }
    return measurements;
  }

  /** The share of {@code expected} found; 1 when nothing was to be found. */
  static double recall(Set<String> found, Set<String> expected) {
    if (expected.isEmpty()) {
      return 1.0;
    }
    return found.stream().filter(expected::contains).count() / (double) expected.size();
  }

  /** A closed loop on {@code threads} threads for {@code nanos} (at least {@value #MIN_CALLS} calls each). */
  private static Run run(IntFunction<Set<String>> search, int queries, int threads, long nanos) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      long started = System.nanoTime();
      long deadline = started + nanos;
      List<Future<long[]>> loops = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int offset = t * queries / threads;
        loops.add(pool.submit(() -> {
          long[] latencies = new long[1024];
          int calls = 0;
          for (int q = offset; ; q++) {
            long before = System.nanoTime();
            search.apply(q % queries);
            long after = System.nanoTime();
            if (calls == latencies.length) {
              latencies = Arrays.copyOf(latencies, calls * 2);
            }
            latencies[calls++] = after - before;
            if (after >= deadline && calls >= MIN_CALLS) {
              return Arrays.copyOf(latencies, calls);
            }
          }
        }));
      }
      List<long[]> perThread = new ArrayList<>();
      for (Future<long[]> loop : loops) {
        perThread.add(loop.get());
      }
      long elapsed = System.nanoTime() - started;
      long[] all = perThread.stream().flatMapToLong(Arrays::stream).toArray();
      return new Run(all.length, elapsed, all);
    }
  }

  /** Calls completed in {@code nanos} of wall time, and their latencies. */
  private record Run(long calls, long nanos, long[] latencies) {
    Run plus(Run other) {
      long[] both = Arrays.copyOf(latencies, latencies.length + other.latencies.length);
      System.arraycopy(other.latencies, 0, both, latencies.length, other.latencies.length);
      return new Run(calls + other.calls, nanos + other.nanos, both);
    }
  }
}
