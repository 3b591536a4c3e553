package dev.abilitystore.app;

import dev.abilitystore.AbilityStore;
import dev.abilitystore.embed.CachingEmbedder;
import dev.abilitystore.embed.HashingEmbedder;
import dev.abilitystore.embeddings.GeminiEmbedder;
import dev.abilitystore.embeddings.OnnxEmbedder;
import dev.abilitystore.embeddings.OpenAiEmbedder;
import dev.abilitystore.infraxa.IdSource;
import dev.abilitystore.infraxa.InfraxaConfig;
import dev.abilitystore.infraxa.InfraxaVectorIndex;
import dev.abilitystore.lucene.LuceneConfig;
import dev.abilitystore.lucene.LuceneVectorIndex;
import dev.abilitystore.port.Embedder;
import dev.abilitystore.port.RecordStore;
import dev.abilitystore.port.VectorIndex;
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
   * Opens the store the settings describe: the Lucene index under the data directory (or the
   * Infraxa vector database when {@code VECTOR_DB_API} is set), PostgreSQL when
   * {@code DATABASE_URL} is set (even while it is down: writes are then queued), and the
   * configured embedder. The caller closes it.
   *
   * @throws dev.abilitystore.EmbedderMismatchException if a store's vectors come from another model
   * @throws dev.abilitystore.DimensionMismatchException if a store holds vectors of another dimension
   * @throws dev.abilitystore.StoreUnavailableException if the index cannot be opened
   */
  public static AbilityStore openStore(Settings settings) {
    log.debug("[App] Opening the store with {}", settings);
    Embedder embedder = embedder(settings);
    Settings.VectorDb vectorDb = settings.vectorDb();
    if (vectorDb != null) {
      RecordStore secondary = openSecondary(settings);
      VectorIndex infraxa;
      try {
        infraxa = openInfraxa(vectorDb, embedder.dimension(), secondary);
      } catch (RuntimeException e) {
        secondary.close();
        throw e;
      }
      return openStore(settings, infraxa, secondary, embedder);
    }
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
  public static AbilityStore openStore(Settings settings, VectorIndex index, RecordStore secondary,
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
   * Opens the Infraxa vector database as the primary: nothing is contacted until the first call.
   * It cannot list what it holds, so scans, structured queries and counts walk PostgreSQL's
   * ability ids; without PostgreSQL they see nothing, which one warning says.
   */
  public static InfraxaVectorIndex openInfraxa(Settings.VectorDb vectorDb, int dimension, RecordStore secondary) {
    IdSource ids;
    if (secondary instanceof PostgresRecordStore postgres) {
      ids = postgres::abilityIdsAfter;
    } else {
      log.warn("[App] Infraxa is the primary without PostgreSQL: the Infraxa API cannot list vectors, so sync, "
          + "structured queries, counts and backups from the primary see nothing (search, get, store and delete "
          + "work); set {} to give it the list of ids", Settings.DATABASE_URL);
      ids = IdSource.NONE;
    }
    log.info("[App] Primary store: Infraxa at {} (workspace {})", vectorDb.api(), vectorDb.tenant());
    return InfraxaVectorIndex.open(InfraxaConfig.builder(vectorDb.api(), dimension).tenant(vectorDb.tenant()).build(),
        ids);
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
