package dev.abilitystore.server;

/** Milliseconds since a {@link System#nanoTime()} reading, for {@code took_ms}. Stateless. */
final class Elapsed {
  private Elapsed() {}

  static long millisSince(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
