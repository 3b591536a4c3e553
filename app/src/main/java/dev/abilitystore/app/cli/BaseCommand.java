package dev.abilitystore.app.cli;

import dev.abilitystore.AbilityStore;
import dev.abilitystore.app.Settings;
import dev.abilitystore.app.Wiring;
import java.io.PrintStream;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the settings, the store, and the two output streams. */
abstract class BaseCommand {
  @Spec
  CommandSpec spec;

  Settings settings() {
    return ((AbilityStoreCommand) spec.root().userObject()).settings();
  }

  /**
   * Opens the store for one command: no start-up sync, since a one-shot command would exit in
   * the middle of it.
   */
  AbilityStore openStore() {
    return Wiring.openStore(settings().withSyncOnStart(false));
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
