package dev.abilitystore.bench;

import java.util.Arrays;

/**
 * Latencies of one operation over a set of queries, and its throughput.
 *
 * @param name what was measured
 * @param nanos one latency per query, single-threaded
 * @param qps1 queries per second on one thread
 * @param qps2 queries per second on two threads
 * @param recall recall@k against the exact answer, or NaN
 */
record Measurement(String name, long[] nanos, double qps1, double qps2, double recall) {
  double percentileMillis(double percentile) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int index = (int) Math.min(sorted.length - 1, Math.ceil(percentile / 100.0 * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }

  String row() {
    return String.format("| %s | %.2f | %.2f | %,.0f | %,.0f | %s |", name, percentileMillis(50), percentileMillis(99),
        qps1, qps2, Double.isNaN(recall) ? "exact" : String.format("%.3f", recall));
  }
}
