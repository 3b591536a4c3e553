package dev.abilitystore.app;

/** Says when a progress line is due: the first time a second has passed since the last one. Not thread-safe. */
public final class ProgressThrottle {
  private static final long INTERVAL_NANOS = 1_000_000_000L;

  private long lastPrinted = System.nanoTime();

  /** True, and the clock restarts, when a line is due; always true for the {@code last} line. */
  public boolean due(boolean last) {
    long now = System.nanoTime();
    if (!last && now - lastPrinted < INTERVAL_NANOS) {
      return false;
    }
    lastPrinted = now;
    return true;
  }
}
