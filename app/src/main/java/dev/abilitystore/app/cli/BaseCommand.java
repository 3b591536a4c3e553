package dev.abilitystore.app.cli;

import dev.abilitystore.AbilityStore;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.app.Settings;
import dev.abilitystore.app.Wiring;
import java.io.PrintStream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the settings, the store or the server, and the two output streams. */
abstract class BaseCommand {
  @Spec
  CommandSpec spec;

  AbilityStoreCommand root() {
    return (AbilityStoreCommand) spec.root().userObject();
  }

  Settings settings() {
    return root().settings();
  }

  /** Returns the server that {@code --url} names, or null to work on the stores here. */
  Settings.@Nullable Remote remote() {
    return root().remote();
  }

  /**
   * Opens the store for one command: no start-up sync, since a one-shot command would exit in
   * the middle of it.
   */
  AbilityStore openStore() {
    return Wiring.openStore(settings().withSyncOnStart(false));
  }

  /** Opens what the command works on: the server of {@code --url}, or else the stores here. */
  Catalogue openCatalogue() {
    Settings.Remote remote = remote();
    if (remote != null) {
      return new RemoteCatalogue(new ApiClient(remote));
    }
    Settings settings = settings();
    return new LocalCatalogue(Wiring.openStore(settings.withSyncOnStart(false)), settings.dataDir().toString());
  }

  /**
   * Refuses {@code --url} for a command that works on the data directory itself.
   *
   * @throws ParameterException (exit code 2) when a URL is given
   */
  void refuseUrl() {
    if (remote() != null) {
      String source = root().urlSource();
      throw new ParameterException(spec.commandLine(), "'" + commandName() + "' works on the data directory and "
          + "PostgreSQL directly, not through a server: run it without " + source + " where the data directory is"
          + (source.equals("--url") ? "" : " (unset " + source + ")"));
    }
  }

  /**
   * Refuses a command that works on the Lucene index in the data directory when Infraxa is the
   * primary ({@code VECTOR_DB_API}).
   *
   * @throws InvalidInputException (exit code 3) saying what to do instead
   */
  void refuseInfraxa(String instead) {
    if (settings().vectorDb() != null) {
      throw new InvalidInputException("'" + commandName() + "' works on the Lucene index in the data directory, and "
          + Settings.VECTOR_DB_API + " makes Infraxa the primary store: " + instead);
    }
  }

  /**
   * Refuses a command that reads everything the primary holds when it cannot list it: Infraxa
   * without PostgreSQL, whose ids it walks.
   *
   * @throws InvalidInputException (exit code 3) naming the missing setting
   */
  void refuseInfraxaWithoutPostgres() {
    if (settings().vectorDb() != null && settings().postgres() == null) {
      throw new InvalidInputException("'" + commandName() + "' reads every ability of the primary store, and Infraxa ("
          + Settings.VECTOR_DB_API + ") cannot list what it holds: set " + Settings.DATABASE_URL + " so that it walks "
          + "PostgreSQL's ability ids");
    }
  }

  String commandName() {
    return spec.qualifiedName().replaceFirst("^abilitystore ", "");
  }

  PrintStream out() {
    return System.out;
  }

  PrintStream err() {
    return System.err;
  }
}
