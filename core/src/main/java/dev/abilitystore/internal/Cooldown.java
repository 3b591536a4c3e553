package dev.abilitystore.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * A minimal circuit breaker: after a store fails, callers leave it alone for a while instead of
 * paying its timeout again on every call. Thread-safe.
 */
public final class Cooldown {
  private final Duration length;
  private final InstantSource clock;
  private volatile Instant until = Instant.MIN;

  public Cooldown(Duration length, InstantSource clock) {
    this.length = length;
    this.clock = clock;
  }

  /** True while the store should be left alone. */
  public boolean active() {
    return clock.instant().isBefore(until);
  }

  /** The store just failed: leave it alone for the cool-down's length. */
  public void start() {
    until = clock.instant().plus(length);
  }

  /** Returns how long the store is left alone after a failure. */
  public Duration length() {
    return length;
  }
}
