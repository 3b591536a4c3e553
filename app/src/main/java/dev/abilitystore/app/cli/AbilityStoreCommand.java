package dev.abilitystore.app.cli;

import dev.abilitystore.app.Settings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code abilitystore} command; its options are inherited by every subcommand and win over the environment. */
@Command(name = "abilitystore",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Keeps a catalogue of abilities (API endpoints an AI agent can call) in a vector index and "
        + "PostgreSQL, and never lets the two drift apart.",
    footer = ExitCodes.FOOTER,
    subcommands = {DemoCommand.class, ImportCommand.class, SearchCommand.class, QueryCommand.class, GetCommand.class,
        DeleteCommand.class, ServicesCommand.class, StatsCommand.class, SyncCommand.class, ReembedCommand.class,
        DbCommand.class})
public final class AbilityStoreCommand {
  @Option(names = "--database-url", scope = ScopeType.INHERIT, paramLabel = "URL",
      description = "PostgreSQL, as postgresql://user:password@host:5432/db or a JDBC URL (env DATABASE_URL).")
  @Nullable String databaseUrl;

  @Option(names = "--embedder", scope = ScopeType.INHERIT, paramLabel = "NAME",
      description = "Embeds abilities that come without an embedding: local (the bundled model, default), openai, "
          + "gemini, hashing or none (env ABILITYSTORE_EMBEDDER).")
  @Nullable String embedder;

  @Option(names = "--dimension", scope = ScopeType.INHERIT, paramLabel = "N",
      description = "Embedding dimension of the store (env ABILITYSTORE_DIMENSION; default: the embedder's).")
  @Nullable String dimension;

  @Option(names = "--data-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
      description = "Where local state lives: the index, the replication queue (env ABILITYSTORE_DATA_DIR; "
          + "default ./data).")
  @Nullable Path dataDir;

  private final Map<String, String> environment;

  public AbilityStoreCommand(Map<String, String> environment) {
    this.environment = environment;
  }

  /** Returns the settings of the environment with the command line's options on top. */
  Settings settings() {
    Map<String, String> merged = new HashMap<>(environment);
    put(merged, Settings.DATABASE_URL, databaseUrl);
    put(merged, Settings.EMBEDDER, embedder);
    put(merged, Settings.DIMENSION, dimension);
    put(merged, Settings.DATA_DIR, dataDir == null ? null : dataDir.toString());
    return Settings.from(merged);
  }

  private static void put(Map<String, String> environment, String name, @Nullable String value) {
    if (value != null) {
      environment.put(name, value);
    }
  }
}
