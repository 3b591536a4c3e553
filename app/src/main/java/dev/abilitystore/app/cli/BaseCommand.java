package dev.abilitystore.app.cli;

import dev.abilitystore.app.Settings;
import java.io.PrintStream;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the settings and the two output streams. */
abstract class BaseCommand {
  @Spec
  CommandSpec spec;

  Settings settings() {
    return ((AbilityStoreCommand) spec.root().userObject()).settings();
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
