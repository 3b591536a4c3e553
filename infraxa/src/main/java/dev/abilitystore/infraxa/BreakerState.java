package dev.abilitystore.infraxa;

/** The state of the circuit breaker in front of the Infraxa API. */
public enum BreakerState {
  /** Calls go through. */
  CLOSED,
  /** Calls fail at once, without reaching Infraxa, until the open period ends. */
  OPEN,
  /** One trial call goes through; its outcome closes or reopens the breaker. */
  HALF_OPEN
}
