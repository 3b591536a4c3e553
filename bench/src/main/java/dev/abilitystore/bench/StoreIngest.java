package dev.abilitystore.bench;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.SecondaryState;
import dev.abilitystore.StoredAbility;
import dev.abilitystore.embed.HashingEmbedder;
import dev.abilitystore.lucene.LuceneConfig;
import dev.abilitystore.lucene.LuceneVectorIndex;
import dev.abilitystore.postgres.PostgresConfig;
import dev.abilitystore.postgres.PostgresRecordStore;
import java.nio.file.Path;
import java.util.List;

/**
 * The store side of the ingest part: an {@link AbilityStore} as the app wires it (Lucene primary
 * with its default configuration, PostgreSQL secondary, the default secondary timeout), over a
 * fresh index and the emptied {@code abilities} table. Counts the abilities whose PostgreSQL write
 * was queued instead of done, since a queued write would flatter the figure. Not thread-safe.
 */
final class StoreIngest implements AutoCloseable {
  private final AbilityStore store;
  private long queued;

  StoreIngest(Path directory, PostgresConfig postgres, int dimension) {
    HashingEmbedder embedder = new HashingEmbedder(dimension);
    this.store = AbilityStore.builder()
        .primary(LuceneVectorIndex.open(LuceneConfig.builder(directory.resolve("index"), dimension)
            .embedderModel(embedder.model()).build()))
        .secondary(PostgresRecordStore.open(postgres))
        .embedder(embedder)
        .dataDirectory(directory)
        .syncOnStart(false)
        .build();
  }

  /** Stores one batch (which carries its embeddings); returns the nanoseconds the call took. */
  long store(List<Ability> batch) {
    long started = System.nanoTime();
    List<StoredAbility> results = store.store(batch).results();
    long nanos = System.nanoTime() - started;
    queued += results.stream().filter(stored -> stored.secondary() != SecondaryState.STORED).count();
    return nanos;
  }

  /** Abilities whose PostgreSQL write was queued. */
  long queued() {
    return queued;
  }

  /** Writes waiting in the replication queue now. */
  long queueDepth() {
    return store.replication().orElseThrow().depth();
  }

  /** Abilities in the primary. */
  long primaryCount() {
    return store.primary().count();
  }

  @Override
  public void close() {
    store.close();
  }
}
