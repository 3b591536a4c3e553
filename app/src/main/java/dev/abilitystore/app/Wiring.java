package dev.abilitystore.app;

import dev.abilitystore.AbilityStore;
import dev.abilitystore.embed.CachingEmbedder;
import dev.abilitystore.embed.HashingEmbedder;
import dev.abilitystore.embeddings.GeminiEmbedder;
import dev.abilitystore.embeddings.OnnxEmbedder;
import dev.abilitystore.embeddings.OpenAiEmbedder;
import dev.abilitystore.lucene.LuceneConfig;
import dev.abilitystore.lucene.LuceneVectorIndex;
import dev.abilitystore.port.Embedder;
import dev.abilitystore.port.RecordStore;
import dev.abilitystore.postgres.DatabaseBootstrap;
import dev.abilitystore.postgres.PostgresConfig;
import dev.abilitystore.postgres.PostgresRecordStore;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the adapters that the settings name, and the {@link AbilityStore} over them. */
public final class Wiring {
  private static final Logger log = LoggerFactory.getLogger(Wiring.class);
  /** The Lucene index's directory inside the data directory. */
  public static final String INDEX_DIRECTORY = "index";

  private Wiring() {}

  /**
   * Opens the store the settings describe: the Lucene index under the data directory, PostgreSQL
   * when {@code DATABASE_URL} is set (even while it is down: writes are then queued), and the
   * configured embedder. The caller closes it.
   *
   * @throws dev.abilitystore.EmbedderMismatchException if a store's vectors come from another model
   * @throws dev.abilitystore.DimensionMismatchException if a store holds vectors of another dimension
   * @throws dev.abilitystore.StoreUnavailableException if the index cannot be opened
   */
  public static AbilityStore openStore(Settings settings) {
    log.debug("[App] Opening the store with {}", settings);
    Embedder embedder = embedder(settings);
    LuceneVectorIndex index = openIndex(settings.dataDir().resolve(INDEX_DIRECTORY), embedder);
    RecordStore secondary;
    try {
      secondary = openSecondary(settings);
    } catch (RuntimeException e) {
      index.close();
      throw e;
    }
    return openStore(settings, index, secondary, embedder);
  }

  /**
   * Builds the store over adapters already open; it owns them from then on, and closes them
   * also when building fails.
   */
  public static AbilityStore openStore(Settings settings, LuceneVectorIndex index, RecordStore secondary,
      Embedder embedder) {
    AbilityStore.Builder builder = AbilityStore.builder()
        .primary(index)
        .secondary(secondary)
        .embedder(embedder)
        .dataDirectory(settings.dataDir())
        .secondaryTimeout(settings.secondaryTimeout())
        .queueMaxBytes(settings.queueMaxBytes())
        .syncOnStart(settings.syncOnStart());
    if (secondary instanceof PostgresRecordStore postgres) {
      builder.usageStore(postgres.usageStore());
    }
    return builder.build();
  }

  /**
   * Opens the Lucene index in {@code directory} for vectors of {@code embedder}, recording its
   * model there (except for {@code none}, which has none) and refusing an index made by another.
   */
  public static LuceneVectorIndex openIndex(Path directory, Embedder embedder) {
    return openIndex(directory, embedder.dimension(), modelOf(embedder));
  }

  /** Opens the Lucene index in {@code directory}; a null model neither records nor checks one. */
  public static LuceneVectorIndex openIndex(Path directory, int dimension, @Nullable String embedderModel) {
    return LuceneVectorIndex.open(LuceneConfig.builder(directory, dimension).embedderModel(embedderModel).build());
  }

  /**
   * Opens PostgreSQL when {@code DATABASE_URL} is set, creating its database first if the server
   * answers and it is missing; a server that does not answer is not an error (the store starts
   * without it and migrates when it is back). Returns {@link RecordStore#disabled()} otherwise.
   */
  public static RecordStore openSecondary(Settings settings) {
    PostgresConfig config = settings.postgres();
    if (config == null) {
      return RecordStore.disabled();
    }
    createDatabaseIfReachable(config);
    return PostgresRecordStore.open(config.toBuilder().startWhileDown(true).build());
  }

  private static void createDatabaseIfReachable(PostgresConfig config) {
    try {
      if (DatabaseBootstrap.createDatabaseIfMissing(config)) {
        log.info("[DB] Created database {}", config.location());
      }
    } catch (RuntimeException e) {
      log.warn("[DB] Cannot check or create database {} now ({}); going on without it", config.location(),
          e.getMessage());
    }
  }

  /** Returns the embedder that fills in missing embeddings and embeds queries, its query embeddings cached. */
  public static Embedder embedder(Settings settings) {
    Embedder embedder = switch (settings.embedder()) {
      case "none" -> new NoEmbedder(settings.dimension());
      case "hashing" -> new HashingEmbedder(settings.dimension());
      case "openai" -> new OpenAiEmbedder(Objects.requireNonNull(settings.remoteEmbedder()));
      case "gemini" -> new GeminiEmbedder(Objects.requireNonNull(settings.remoteEmbedder()));
      default -> new OnnxEmbedder();
    };
    return new CachingEmbedder(embedder, CachingEmbedder.DEFAULT_MAXIMUM_SIZE);
  }

  /** Returns the model recorded with the index for {@code embedder}; null for {@code none}, which makes no vectors. */
  public static @Nullable String modelOf(Embedder embedder) {
    return NoEmbedder.MODEL.equals(embedder.model()) ? null : embedder.model();
  }
}
