package dev.abilitystore.fuzz;

import dev.abilitystore.AbilityStore;
import dev.abilitystore.embed.HashingEmbedder;
import dev.abilitystore.lucene.LuceneConfig;
import dev.abilitystore.lucene.LuceneVectorIndex;
import dev.abilitystore.port.RecordStore;
import dev.abilitystore.port.VectorIndex;
import dev.abilitystore.postgres.PostgresConfig;
import dev.abilitystore.postgres.PostgresRecordStore;
import dev.abilitystore.replication.Backoff;
import java.nio.file.Path;
import java.time.Duration;

/** The dual store the suites run over: Lucene under {@code index}, PostgreSQL, the hashing embedder, short waits. */
public final class TestStores {
  private TestStores() {}

  /** Opens Lucene in {@code dataDirectory} and PostgreSQL at {@code postgres} (it may be down); the caller builds. */
  public static AbilityStore.Builder luceneAndPostgres(Path dataDirectory, PostgresConfig postgres, int dimension) {
    HashingEmbedder embedder = new HashingEmbedder(dimension);
    VectorIndex index = LuceneVectorIndex.open(LuceneConfig.builder(dataDirectory.resolve("index"), dimension)
        .embedderModel(embedder.model()).build());
    RecordStore records;
    try {
      records = PostgresRecordStore.open(postgres.toBuilder().startWhileDown(true)
          .connectionTimeout(Duration.ofSeconds(1)).statementTimeout(Duration.ofSeconds(5)).build());
    } catch (RuntimeException e) {
      index.close();
      throw e;
    }
    return AbilityStore.builder().primary(index).secondary(records).embedder(embedder).dataDirectory(dataDirectory)
        .secondaryTimeout(Duration.ofSeconds(2)).backoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(500)))
        .syncOnStart(false);
  }
}
