package dev.abilitystore.bench;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/** Latencies of timed calls, in nanoseconds, read as percentiles in milliseconds. Not thread-safe. */
final class Latencies {
  private long[] nanos;
  private int count;

  Latencies(int expected) {
    this.nanos = new long[Math.max(1, expected)];
  }

  void add(long elapsedNanos) {
    if (count == nanos.length) {
      nanos = Arrays.copyOf(nanos, count * 2);
    }
    nanos[count++] = elapsedNanos;
  }

  int count() {
    return count;
  }

  /** Returns the sum of the latencies in seconds: the time spent in calls made one at a time. */
  double seconds() {
    long total = 0;
    for (int i = 0; i < count; i++) {
      total += nanos[i];
    }
    return total / 1e9;
  }

  /** Returns the latencies in the order they were added. */
  long[] toArray() {
    return Arrays.copyOf(nanos, count);
  }

  /** Returns the nearest-rank percentile in milliseconds, rounded to microseconds; 0 when nothing was timed. */
  double millis(double percentile) {
    if (count == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(percentile / 100.0 * count);
    return rounded(sorted[Math.clamp(rank - 1, 0, count - 1)] / 1e6);
  }

  /** Returns {@code value} rounded to three decimals: microseconds for milliseconds. */
  static double rounded(double value) {
    return Math.round(value * 1000) / 1000.0;
  }

  /** Returns {@code numerator / denominator} to three decimals, or null when the denominator is 0. */
  static @Nullable Double ratio(double numerator, double denominator) {
    return denominator == 0 ? null : rounded(numerator / denominator);
  }
}
