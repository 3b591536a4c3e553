package dev.abilitystore.app;

import dev.abilitystore.embed.HashingEmbedder;
import dev.abilitystore.embeddings.CachingEmbedder;
import dev.abilitystore.embeddings.GeminiEmbedder;
import dev.abilitystore.embeddings.OnnxEmbedder;
import dev.abilitystore.embeddings.OpenAiEmbedder;
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

  /** Returns the embedder that fills in missing embeddings and embeds queries, its query embeddings cached. */
  public static Embedder embedder(Settings settings) {
    Embedder embedder = switch (settings.embedder()) {
      case "none" -> new NoEmbedder(settings.dimension());
      case "hashing" -> new HashingEmbedder(settings.dimension());
      case "openai" -> new OpenAiEmbedder(java.util.Objects.requireNonNull(settings.remoteEmbedder()));
      case "gemini" -> new GeminiEmbedder(java.util.Objects.requireNonNull(settings.remoteEmbedder()));
      default -> new OnnxEmbedder();
    };
    return new CachingEmbedder(embedder, CachingEmbedder.DEFAULT_MAXIMUM_SIZE);
  }

  public static AbilityPreparer preparer(Settings settings) {
    return new AbilityPreparer(embedder(settings));
  }
}
