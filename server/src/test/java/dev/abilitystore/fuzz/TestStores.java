package dev.abilitystore.fuzz;

import dev.abilitystore.AbilityStore;
import dev.abilitystore.embed.HashingEmbedder;
import dev.abilitystore.lucene.LuceneConfig;
import dev.abilitystore.lucene.LuceneVectorIndex;
import dev.abilitystore.port.Embedder;
import dev.abilitystore.port.VectorIndex;
import dev.abilitystore.postgres.PostgresConfig;
import dev.abilitystore.postgres.PostgresRecordStore;
import dev.abilitystore.replication.Backoff;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The dual stores the test suites run over: a primary and PostgreSQL with short waits, so that an
 * outage shows within a second or two. The caller builds (and may add to the builder first).
 */
public final class TestStores {
  private TestStores() {}

  /**
   * A dual store's builder, and the PostgreSQL record store in it, for a suite that also wants its
   * usage store.
   */
  public record Parts(AbilityStore.Builder builder, PostgresRecordStore postgres) {}

  /**
   * Opens PostgreSQL at {@code postgres} (it may be down) beside {@code index}; closes the index
   * if PostgreSQL cannot be opened.
   */
  public static Parts besidePostgres(VectorIndex index, PostgresConfig postgres, Embedder embedder, Path dataDirectory) {
    PostgresRecordStore records;
    try {
      records = PostgresRecordStore.open(postgres.toBuilder().startWhileDown(true)
          .connectionTimeout(Duration.ofSeconds(1)).statementTimeout(Duration.ofSeconds(5)).build());
    } catch (RuntimeException e) {
      index.close();
      throw e;
    }
    return new Parts(AbilityStore.builder().primary(index).secondary(records).embedder(embedder)
        .dataDirectory(dataDirectory).secondaryTimeout(Duration.ofSeconds(2))
        .backoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(500))).syncOnStart(false), records);
  }

  /** Lucene under {@code dataDirectory/index} with the hashing embedder, beside PostgreSQL at {@code postgres}. */
  public static Parts luceneAndPostgres(Path dataDirectory, PostgresConfig postgres, int dimension) {
    HashingEmbedder embedder = new HashingEmbedder(dimension);
    VectorIndex index = LuceneVectorIndex.open(LuceneConfig.builder(dataDirectory.resolve("index"), dimension)
        .embedderModel(embedder.model()).build());
    return besidePostgres(index, postgres, embedder, dataDirectory);
  }
}
