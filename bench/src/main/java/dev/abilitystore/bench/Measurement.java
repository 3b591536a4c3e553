package dev.abilitystore.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Latencies of one way to answer a set of queries, its throughput, and its recall.
 *
 * @param name what was measured
 * @param nanos one latency per query and timed pass, single-threaded, measured interleaved with the
 *     other variants of its group
 * @param throughput per thread count: queries per second and the latency of every call of that run
 * @param recall mean recall@k against the exact answer, or NaN when there is none to compare with
 */
record Measurement(String name, long[] nanos, List<Throughput> throughput, double recall) {
  /**
   * One throughput run: {@code threads} threads calling in a loop.
   *
   * @param qps completed calls per second, all threads together
   * @param nanos the latency of every call, as each thread timed its own
   */
  record Throughput(int threads, double qps, long[] nanos) {
    double percentileMillis(double percentile) {
      return Measurement.percentileMillis(nanos, percentile);
    }
  }

  /** The single-threaded latency at {@code percentile} (0–100) in milliseconds. */
  double percentileMillis(double percentile) {
    return percentileMillis(nanos, percentile);
  }

  /** The throughput run on {@code threads} threads. */
  Throughput at(int threads) {
    return throughput.stream().filter(run -> run.threads() == threads).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no run on " + threads + " threads"));
  }

  double qps(int threads) {
    return at(threads).qps();
  }

  /** A markdown table row: name, p50, p99, QPS on 1 and 2 threads, recall. */
  String row() {
    return String.format(java.util.Locale.ROOT, "| %s | %.2f | %.2f | %,.0f | %,.0f | %s |", name,
        percentileMillis(50), percentileMillis(99), qps(1), qps(2),
        Double.isNaN(recall) ? "exact" : String.format(java.util.Locale.ROOT, "%.3f", recall));
  }

  static double percentileMillis(long[] nanos, double percentile) {
    if (nanos.length == 0) {
      return Double.NaN;
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int index = (int) Math.min(sorted.length - 1, Math.ceil(percentile / 100.0 * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }
}
