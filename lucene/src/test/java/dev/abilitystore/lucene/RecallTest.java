package dev.abilitystore.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.Embedding;
import dev.abilitystore.port.SearchMode;
import dev.abilitystore.port.VectorSearch;
import dev.abilitystore.testing.Abilities;
import dev.abilitystore.testing.Vectors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Recall of the approximate search against exhaustive search on 20k seeded, clustered 384-dim vectors. */
class RecallTest {
  private static final int COUNT = 20_000;
  private static final int DIMENSION = 384;
  private static final int QUERIES = 50;
  private static final int K = 10;

  @TempDir
  Path directory;

  @ParameterizedTest
  @EnumSource(Quantization.class)
  void recallAt10_isAtLeast95Percent(Quantization quantization) {
    // Queries are held-out items of the same distribution: the same topics, not indexed.
    List<float[]> generated = Vectors.clustered(COUNT + QUERIES, DIMENSION, 50, 42);
    List<float[]> vectors = generated.subList(0, COUNT);
    List<float[]> queries = generated.subList(COUNT, COUNT + QUERIES);
    try (LuceneVectorIndex index = LuceneVectorIndex.open(LuceneConfig.builder(directory, DIMENSION)
        .quantization(quantization).build())) {
      List<Ability> batch = new ArrayList<>();
      for (int i = 0; i < COUNT; i++) {
        batch.add(Abilities.simple("a" + i, "s" + (i % 100), false, DIMENSION).withEmbedding(Embedding.of(vectors.get(i))));
        if (batch.size() == 1000) {
          index.upsert(batch);
          batch.clear();
        }
      }
      double found = 0;
      for (float[] query : queries) {
        Set<String> exact = new HashSet<>(IntStream.range(0, COUNT).boxed()
            .sorted(Comparator.comparingDouble(i -> -Vectors.cosine(vectors.get(i), query)))
            .limit(K).map(i -> "a" + i).toList());
        index.search(new VectorSearch(Embedding.of(query), null, K, SearchMode.VECTOR, AbilityFilter.ALL))
            .forEach(hit -> {
              if (exact.contains(hit.ability().abilityId())) {
                exact.remove(hit.ability().abilityId());
              }
            });
        found += K - exact.size();
      }
      double recall = found / (QUERIES * K);
      System.out.printf("recall@10 with quantization %s on %,d x %d: %.3f%n", quantization, COUNT, DIMENSION, recall);
      assertThat(recall).as("recall@10 with quantization %s", quantization).isGreaterThanOrEqualTo(0.95);
    }
  }
}
