package dev.abilitystore.bench;

import dev.abilitystore.AbilityFilter;
import dev.abilitystore.Embedding;
import dev.abilitystore.lucene.LuceneConfig;
import dev.abilitystore.lucene.Quantization;
import dev.abilitystore.port.SearchHit;
import dev.abilitystore.port.SearchMode;
import dev.abilitystore.port.VectorSearch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.search.Query;
import org.apache.lucene.util.Version;
import org.jspecify.annotations.Nullable;

/**
 * The markdown report of docs/benchmarks.md ("Vector index"): vector search through
 * {@code LuceneVectorIndex.search} (the index alone, not the store) beside raw Lucene
 * {@code KnnFloatVectorQuery} on the same index (bare, and loading the hits' stored documents: the
 * same work) and the exact scan, at full precision and with int8 quantisation, unfiltered and
 * with a 1 %-selective service filter, on one {@link BenchIndex}. Measured by {@link SideBySide}
 * with its full settings. {@link SearchBenchmark} ({@code abilitystore bench --only search}) covers
 * keyword and hybrid search, both sizes and dimensions, and the JSON report, at full precision;
 * this one remains for the int8 comparison.
 *
 * <p>Run (after {@code ./mvnw -q -DskipTests package}):
 * <pre>java --add-modules jdk.incubator.vector -Xmx512m -cp bench/target/abilitystore-bench.jar \
 *     dev.abilitystore.bench.IndexBenchmark [count=100000] [dimension=3072] [queries=200] \
 *     [quantization=none|int8] [dir=/tmp/abilitystore-bench] [out=docs/benchmarks.md]</pre>
 */
public final class IndexBenchmark {
  private static final int K = 10;

  private final int count;
  private final int dimension;
  private final int queryCount;
  private final Path directory;
  private final SideBySide side = new SideBySide(SideBySide.Settings.FULL);
  private final StringBuilder report = new StringBuilder();

  private IndexBenchmark(int count, int dimension, int queryCount, Path directory) {
    this.count = count;
    this.dimension = dimension;
    this.queryCount = queryCount;
    this.directory = directory;
  }

  public static void main(String[] args) throws Exception {
    int count = 100_000;
    int dimension = 3072;
    int queries = 200;
    Path directory = Path.of(System.getProperty("java.io.tmpdir"), "abilitystore-bench");
    @Nullable Path out = null;
    List<Quantization> quantizations = List.of(Quantization.values());
    for (String arg : args) {
      String[] pair = arg.split("=", 2);
      switch (pair[0]) {
        case "count" -> count = Integer.parseInt(pair[1]);
        case "dimension" -> dimension = Integer.parseInt(pair[1]);
        case "queries" -> queries = Integer.parseInt(pair[1]);
        case "dir" -> directory = Path.of(pair[1]);
        case "out" -> out = Path.of(pair[1]);
        case "quantization" -> quantizations = List.of(Quantization.valueOf(pair[1].toUpperCase(Locale.ROOT)));
        default -> throw new IllegalArgumentException("unknown argument " + arg
            + " (count=, dimension=, queries=, dir=, out=, quantization=none|int8)");
      }
    }
    IndexBenchmark benchmark = new IndexBenchmark(count, dimension, queries, directory);
    benchmark.header();
    for (Quantization quantization : quantizations) {
      benchmark.run(quantization);
    }
    System.out.println(benchmark.report);
    if (out != null) {
      Files.writeString(out, benchmark.report.toString());
    }
  }

  private void header() {
    Runtime runtime = Runtime.getRuntime();
    line("## Vector index: %,d × %d-dimension vectors", count, dimension);
    line("");
    line("Lucene %s, Java %s, %d cores, max heap %,d MiB, %s. Seeded clustered unit vectors (100 topics × 20 "
        + "sub-topics); %d held-out queries of the same distribution; k = %d; HNSW M = 16, beam = 100, ef = 100. "
        + "Filtered rows use a service that holds 1 %% of the abilities.", Version.LATEST, Runtime.version(),
        runtime.availableProcessors(), runtime.maxMemory() >> 20, BenchMain.cpu(), queryCount, K);
    line("");
  }

  private void run(Quantization quantization) throws Exception {
    Path path = directory.resolve(quantization.name().toLowerCase(Locale.ROOT));
    try (BenchIndex data = BenchIndex.build(path, count, dimension, queryCount, quantization)) {
      LuceneConfig config = data.config();
      List<float[]> queries = data.queries();
      Query service = BenchIndex.serviceFilter(SearchCorpus.FILTER_SERVICE);
      AbilityFilter serviceFilter = AbilityFilter.builder().service(SearchCorpus.FILTER_SERVICE).build();
      List<Set<String>> truth = new ArrayList<>();
      List<Set<String>> filteredTruth = new ArrayList<>();
      for (float[] query : queries) {
        truth.add(data.ids(data.exact(query, null, K)));
        filteredTruth.add(data.ids(data.exact(query, service, K)));
      }
      Map<String, Object> memory = Memory.sample();

      line("### %s", quantization == Quantization.NONE ? "Full precision (float32)" : "int8 scalar quantisation, "
          + config.oversample() + "× over-fetch rescored at full precision");
      line("");
      line("Build: %,d abilities in %.1f s (%,.0f abilities/s, batches of %,d, each committed); force-merge to one "
          + "segment %.1f s. Heap after GC %,d MiB, process RSS %s MiB; index on disk %,d MiB.", count,
          data.buildSeconds(), count / data.buildSeconds(), BenchIndex.BATCH, data.mergeSeconds(),
          memory.get("heap_used_mib"), memory.get("rss_mib"), data.sizeOnDisk() >> 20);
      line("");
      line("| search | p50 ms | p99 ms | QPS, 1 thread | QPS, 2 threads | recall@10 |");
      line("|---|---|---|---|---|---|");
      int n = queries.size();
      List<Measurement> measured = new ArrayList<>(side.measure(List.of(
          new SideBySide.Variant("Ability Store `search` (vector)", truth, q -> ids(data.index().search(
              new VectorSearch(Embedding.of(queries.get(q)), null, K, SearchMode.VECTOR, AbilityFilter.ALL)))),
          new SideBySide.Variant("raw Lucene `KnnFloatVectorQuery`", truth,
              q -> data.ids(data.knn(queries.get(q), null, K))),
          new SideBySide.Variant("raw Lucene `KnnFloatVectorQuery` + stored documents of the hits", truth,
              q -> data.ids(data.withStored(data.knn(queries.get(q), null, K))))), n));
      measured.add(side.measureAlone(new SideBySide.Variant("exact scan", null,
          q -> data.ids(data.exact(queries.get(q), null, K))), n));
      measured.addAll(side.measure(List.of(
          new SideBySide.Variant("Ability Store, 1 % service filter", filteredTruth, q -> ids(data.index().search(
              new VectorSearch(Embedding.of(queries.get(q)), null, K, SearchMode.VECTOR, serviceFilter)))),
          new SideBySide.Variant("raw Lucene, 1 % service filter", filteredTruth,
              q -> data.ids(data.knn(queries.get(q), service, K))),
          new SideBySide.Variant("raw Lucene + stored documents, 1 % service filter", filteredTruth,
              q -> data.ids(data.withStored(data.knn(queries.get(q), service, K))))), n));
      measured.add(side.measureAlone(new SideBySide.Variant("exact scan, 1 % service filter", null,
          q -> data.ids(data.exact(queries.get(q), service, K))), n));
      Measurement ours = measured.get(0);
      Measurement lucene = measured.get(1);
      Measurement luceneStored = measured.get(2);
      Measurement exact = measured.get(3);
      Measurement oursFiltered = measured.get(4);
      Measurement luceneFiltered = measured.get(5);
      Measurement luceneFilteredStored = measured.get(6);
      Measurement exactFiltered = measured.get(7);
      for (Measurement measurement : measured) {
        line("%s", measurement.row());
      }
      line("");
      line("Overhead of Ability Store at p50 over raw Lucene that also loads the hits' stored documents (the same "
          + "work): %+.1f %% unfiltered, %+.1f %% filtered; over the bare kNN query: %+.1f %% and %+.1f %%. "
          + "Speed-up over the exact scan at p50: %.0f× unfiltered, %.1f× filtered.",
          overhead(ours, luceneStored), overhead(oursFiltered, luceneFilteredStored), overhead(ours, lucene),
          overhead(oursFiltered, luceneFiltered),
          exact.percentileMillis(50) / ours.percentileMillis(50),
          exactFiltered.percentileMillis(50) / oursFiltered.percentileMillis(50));
      line("");
    }
  }

  private static double overhead(Measurement ours, Measurement raw) {
    return (ours.percentileMillis(50) / raw.percentileMillis(50) - 1) * 100;
  }

  private static Set<String> ids(List<SearchHit> hits) {
    Set<String> ids = new HashSet<>();
    hits.forEach(hit -> ids.add(hit.ability().abilityId()));
    return ids;
  }

  private void line(String format, Object... arguments) {
    report.append(String.format(Locale.ROOT, format, arguments)).append('\n');
  }
}
