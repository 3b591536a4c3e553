package dev.abilitystore.app.cli;

/** The exit codes of {@code abilitystore}, as documented in the README and {@code --help}. */
public final class ExitCodes {
  public static final int OK = 0;
  /** Something unexpected failed; the message says what. */
  public static final int FAILURE = 1;
  /** The command line was wrong: unknown command or option, missing argument. */
  public static final int USAGE = 2;
  /** The input or the configuration was wrong; nothing was changed. */
  public static final int INVALID_INPUT = 3;
  /** What was asked for does not exist. */
  public static final int NOT_FOUND = 4;
  /**
   * A store could not be reached or did not answer in time, or the replication queue is full;
   * what was not acknowledged was not written.
   */
  public static final int UNAVAILABLE = 5;

  static final String FOOTER = "%nExit codes: 0 success, 1 failure, 2 usage error,%n"
      + "  3 invalid input or configuration (nothing was changed),%n"
      + "  4 not found, 5 a store (or the server of --url) is unavailable.%n"
      + "Environment: DATABASE_URL, ABILITYSTORE_EMBEDDER, ABILITYSTORE_DIMENSION,%n"
      + "  ABILITYSTORE_DATA_DIR, ABILITYSTORE_PG_POOL_SIZE, ABILITYSTORE_LOG_LEVEL,%n"
      + "  ABILITYSTORE_PG_STATEMENT_TIMEOUT, ABILITYSTORE_PG_CONNECT_TIMEOUT,%n"
      + "  ABILITYSTORE_SECONDARY_TIMEOUT, ABILITYSTORE_QUEUE_MAX_BYTES,%n"
      + "  ABILITYSTORE_SYNC_ON_START, VECTOR_DB_API, VECTOR_DB_TENANT; for serve: ABILITYSTORE_HOST, ABILITYSTORE_PORT,%n"
      + "  ABILITYSTORE_API_KEYS, ABILITYSTORE_OPEN_READS, ABILITYSTORE_MAX_BODY_BYTES;%n"
      + "  for --url: ABILITYSTORE_URL, ABILITYSTORE_API_KEY.%n"
      + "See README.md for what each one means.";

  private ExitCodes() {}
}
