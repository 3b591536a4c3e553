package dev.abilitystore.app.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Raises the application's log level to WARN while a progress bar is drawn, so that the store's
 * per-batch INFO lines do not scroll the bar away; warnings still show. Leaves the level alone
 * when {@code ABILITYSTORE_LOG_LEVEL} chose one. Not thread-safe.
 */
final class QuietLogs implements AutoCloseable {
  private final @Nullable Logger logger;
  private final @Nullable Level previous;

  private QuietLogs(@Nullable Logger logger) {
    this.logger = logger;
    this.previous = logger == null ? null : logger.getLevel();
    if (logger != null) {
      logger.setLevel(Level.WARN);
    }
  }

  /** Quiets the logs if {@code quiet}; closing restores them. */
  static QuietLogs when(boolean quiet) {
    return new QuietLogs(quiet && LoggerFactory.getLogger("dev.abilitystore") instanceof Logger logback ? logback
        : null);
  }

  @Override
  public void close() {
    if (logger != null) {
      logger.setLevel(previous);
    }
  }
}
