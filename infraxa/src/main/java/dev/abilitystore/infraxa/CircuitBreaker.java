package dev.abilitystore.infraxa;

import dev.abilitystore.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Closed → open after {@code threshold} consecutive failed calls → half-open when the open
 * period has passed, letting one trial call through → closed on its success, open again on its
 * failure. A failed call is one that still failed after its retries. Thread-safe.
 */
final class CircuitBreaker {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CircuitBreaker.class);

  private final int threshold;
  private final Duration openPeriod;
  private final InstantSource clock;
  private BreakerState state = BreakerState.CLOSED;
  private int consecutiveFailures;
  private Instant openedAt = Instant.MIN;
  private boolean trialInFlight;

  CircuitBreaker(int threshold, Duration openPeriod, InstantSource clock) {
    this.threshold = threshold;
    this.openPeriod = openPeriod;
    this.clock = clock;
  }

  /** Lets a call through or refuses it while open (or while a half-open trial is running). */
  synchronized void acquire() {
    if (state == BreakerState.OPEN && !clock.instant().isBefore(openedAt.plus(openPeriod))) {
      state = BreakerState.HALF_OPEN;
      trialInFlight = false;
    }
    if (state == BreakerState.OPEN || (state == BreakerState.HALF_OPEN && trialInFlight)) {
      throw new StoreUnavailableException("[Infraxa] circuit breaker is " + state.name().toLowerCase(java.util.Locale.ROOT)
          + " after " + consecutiveFailures + " consecutive failures; calls resume after "
          + openedAt.plus(openPeriod));
    }
    if (state == BreakerState.HALF_OPEN) {
      trialInFlight = true;
    }
  }

  synchronized void success() {
    if (state != BreakerState.CLOSED) {
      LOG.info("[Infraxa] circuit breaker closed: a trial call succeeded");
    }
    state = BreakerState.CLOSED;
    consecutiveFailures = 0;
    trialInFlight = false;
  }

  synchronized void failure() {
    consecutiveFailures++;
    trialInFlight = false;
    if (state == BreakerState.HALF_OPEN || consecutiveFailures >= threshold) {
      if (state != BreakerState.OPEN) {
        LOG.warn("[Infraxa] circuit breaker open after {} consecutive failures; calls fail fast for {}",
            consecutiveFailures, openPeriod);
      }
      state = BreakerState.OPEN;
      openedAt = clock.instant();
    }
  }

  synchronized BreakerState state() {
    if (state == BreakerState.OPEN && !clock.instant().isBefore(openedAt.plus(openPeriod))) {
      return BreakerState.HALF_OPEN;
    }
    return state;
  }

  synchronized int consecutiveFailures() {
    return consecutiveFailures;
  }
}
