package dev.abilitystore.app;

import dev.abilitystore.AbilityStoreException;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.app.cli.AbilityStoreCommand;
import dev.abilitystore.app.cli.ExitCodes;
import java.util.Map;
import picocli.CommandLine;

/** Runs the {@code abilitystore} command line and exits with its documented code. */
public final class Main {
  /**
   * Lucene logs through java.util.logging, at INFO, that it found the Vector API; standard error
   * is for this application's logs. Held here because the JUL keeps its loggers weakly.
   */
  private static final java.util.logging.Logger LUCENE_LOG = java.util.logging.Logger.getLogger("org.apache.lucene");

  private Main() {}

  public static void main(String[] args) {
    LUCENE_LOG.setLevel(java.util.logging.Level.WARNING);
    System.exit(run(System.getenv(), args));
  }

  /** Runs one command with the given environment and returns its exit code. */
  public static int run(Map<String, String> environment, String... args) {
    CommandLine commandLine = new CommandLine(new AbilityStoreCommand(environment));
    commandLine.setExecutionExceptionHandler((failure, line, parsed) -> {
      line.getErr().println("abilitystore: " + failure.getMessage());
      if (!(failure instanceof AbilityStoreException) || "debug".equalsIgnoreCase(environment.get("ABILITYSTORE_LOG_LEVEL"))) {
        failure.printStackTrace(line.getErr());
      }
      return exitCode(failure);
    });
    return commandLine.execute(args);
  }

  static int exitCode(Throwable failure) {
    if (failure instanceof InvalidInputException) {
      return ExitCodes.INVALID_INPUT;
    }
    if (failure instanceof StoreUnavailableException) {
      return ExitCodes.UNAVAILABLE;
    }
    return ExitCodes.FAILURE;
  }
}
