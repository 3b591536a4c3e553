package dev.abilitystore.app;

import dev.abilitystore.embed.HashingEmbedder;
import dev.abilitystore.port.Embedder;
import dev.abilitystore.postgres.PostgresRecordStore;
import dev.abilitystore.write.AbilityPreparer;

/** Builds the adapters that the settings name. */
public final class Wiring {
  private Wiring() {}

  /** Opens PostgreSQL, migrating it; the caller closes the store. */
  public static PostgresRecordStore recordStore(Settings settings, String command) {
    return PostgresRecordStore.open(settings.requirePostgres(command));
  }

  /** Returns the embedder that fills in missing embeddings. */
  public static Embedder embedder(Settings settings) {
    return switch (settings.embedder()) {
      case "none" -> new NoEmbedder(settings.dimension());
      default -> new HashingEmbedder(settings.dimension());
    };
  }

  public static AbilityPreparer preparer(Settings settings) {
    return new AbilityPreparer(embedder(settings));
  }
}
