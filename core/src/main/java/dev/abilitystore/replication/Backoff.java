package dev.abilitystore.replication;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with "equal jitter": after the n-th consecutive failure, wait half of
 * {@code min(cap, initial × 2^(n-1))} plus a random part of the other half, so that retries
 * spread out instead of arriving together, yet never come sooner than half the exponential delay.
 *
 * @param initial the wait after the first failure, before jitter
 * @param cap the longest wait
 */
public record Backoff(Duration initial, Duration cap) {
  /** 0.5 s doubling to 10 s: a failed attempt costs little, and PostgreSQL back is noticed within seconds. */
  public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10));

  public Backoff {
    if (initial.isNegative() || initial.isZero() || cap.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= cap, was " + initial + " and " + cap);
    }
  }

  /** Returns the wait after {@code failures} consecutive failures (1 or more). */
  public Duration delay(int failures, RandomGenerator random) {
    long ceiling = initial.toMillis();
    for (int i = 1; i < failures && ceiling < cap.toMillis(); i++) {
      ceiling *= 2;
    }
    ceiling = Math.min(ceiling, cap.toMillis());
    long half = ceiling / 2;
    return Duration.ofMillis(half + (ceiling - half == 0 ? 0 : random.nextLong(ceiling - half + 1)));
  }
}
