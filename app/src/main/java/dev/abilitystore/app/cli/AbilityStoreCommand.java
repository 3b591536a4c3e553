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
    subcommands = {ServeCommand.class, DemoCommand.class, ImportCommand.class, ExportCommand.class,
        SearchCommand.class, QueryCommand.class, GetCommand.class, DeleteCommand.class, ServicesCommand.class,
        StatsCommand.class, SyncCommand.class, BackupCommand.class, RestoreCommand.class, ReembedCommand.class,
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

  @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
      description = "Talk to a running 'abilitystore serve' at URL, e.g. http://127.0.0.1:8080, instead of opening "
          + "the stores here (env ABILITYSTORE_URL).")
  @Nullable String url;

  @Option(names = "--api-key", scope = ScopeType.INHERIT, paramLabel = "KEY",
      description = "API key for --url, sent as Authorization: Bearer (env ABILITYSTORE_API_KEY).")
  @Nullable String apiKey;

  private final Map<String, String> environment;

  public AbilityStoreCommand(Map<String, String> environment) {
    this.environment = environment;
  }

  /** Returns the settings of the environment with the command line's options on top. */
  Settings settings() {
    return settings(Map.of());
  }

  /** Returns the settings of the environment with the command line's options and then {@code overrides} on top. */
  Settings settings(Map<String, String> overrides) {
    Map<String, String> merged = merged();
    merged.putAll(overrides);
    return Settings.from(merged);
  }

  /** Returns the server that {@code --url} or {@code ABILITYSTORE_URL} names, or null to open the stores here. */
  Settings.@Nullable Remote remote() {
    return Settings.remote(merged());
  }

  /** True when {@code --url} is on the command line (not merely in the environment). */
  boolean urlOption() {
    return url != null;
  }

  /** Returns how a URL was given, for messages: {@code --url} or the variable. */
  String urlSource() {
    return url != null ? "--url" : Settings.URL;
  }

  /** True when the log level was chosen with {@code ABILITYSTORE_LOG_LEVEL}. */
  boolean logLevelChosen() {
    String level = environment.get("ABILITYSTORE_LOG_LEVEL");
    return level != null && !level.isBlank();
  }

  private Map<String, String> merged() {
    Map<String, String> merged = new HashMap<>(environment);
    put(merged, Settings.DATABASE_URL, databaseUrl);
    put(merged, Settings.EMBEDDER, embedder);
    put(merged, Settings.DIMENSION, dimension);
    put(merged, Settings.DATA_DIR, dataDir == null ? null : dataDir.toString());
    put(merged, Settings.URL, url);
    put(merged, Settings.API_KEY, apiKey);
    return merged;
  }

  private static void put(Map<String, String> environment, String name, @Nullable String value) {
    if (value != null) {
      environment.put(name, value);
    }
  }
}
