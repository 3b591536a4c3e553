package dev.abilitystore.bench;

import dev.abilitystore.postgres.PostgresConfig;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one benchmark run covers and where it works.
 *
 * @param full {@code --full}: every size the issue names; otherwise the quick profile (N = 10,000)
 * @param sizes the catalogue sizes to measure search and ingest at
 * @param dimensions the embedding dimensions to measure search and ingest at
 * @param workDirectory a scratch directory of this run, emptied before and deleted after
 * @param dataDirectory the folder holding {@code abilities-corpus.jsonl} and {@code dev-queries.jsonl}, or null when absent
 * @param postgres a PostgreSQL database of this run alone, dropped afterwards
 * @param embedders the embedders retrieval quality is measured with: {@code local}, {@code hashing}
 */
public record BenchProfile(boolean full, List<Integer> sizes, List<Integer> dimensions, Path workDirectory,
    @Nullable Path dataDirectory, PostgresConfig postgres, List<String> embedders) {
  static final List<String> EMBEDDERS = List.of("local", "hashing");


  /** Sizes and dimensions of the quick profile: N = 10,000 at both dimensions. */
  static final List<Integer> QUICK_SIZES = List.of(10_000);
  static final List<Integer> FULL_SIZES = List.of(10_000, 100_000);
  static final List<Integer> DIMENSIONS = List.of(384, 3072);

  /** Returns a fresh directory {@code name} inside the work directory. */
  Path scratch(String name) {
    return workDirectory.resolve(name);
  }
}
