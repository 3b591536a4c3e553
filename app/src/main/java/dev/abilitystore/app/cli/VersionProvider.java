package dev.abilitystore.app.cli;

import picocli.CommandLine.IVersionProvider;

/** The version of the built jar, from its manifest. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = AbilityStoreCommand.class.getPackage().getImplementationVersion();
    return new String[] {"abilitystore " + (version == null ? "(development build)" : version),
        "Java " + Runtime.version()};
  }
}
