package dev.abilitystore.bench;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.Embedding;
import dev.abilitystore.lucene.LuceneConfig;
import dev.abilitystore.lucene.LuceneVectorIndex;
import dev.abilitystore.lucene.Quantization;
import dev.abilitystore.port.SearchHit;
import dev.abilitystore.port.SearchMode;
import dev.abilitystore.port.VectorSearch;
import dev.abilitystore.testing.Abilities;
import dev.abilitystore.testing.Vectors;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.Version;

/**
 * Vector search through {@link LuceneVectorIndex}, beside raw Lucene {@link KnnFloatVectorQuery}
 * on the same index (our overhead) and an exact scan over the same vectors (the speed-up), at
 * full precision and with int8 quantisation, unfiltered and with a 1 %-selective service filter.
 * Seeded, clustered vectors; queries are held-out items of the same distribution.
 *
 * <p>Run (after {@code ./mvnw -q -DskipTests package}):
 * <pre>java --add-modules jdk.incubator.vector -Xmx512m -jar bench/target/abilitystore-bench.jar \
 *     [count=100000] [dimension=3072] [queries=200] [dir=/tmp/abilitystore-bench] [out=docs/benchmarks.md]</pre>
 */
public final class IndexBenchmark {
  private static final int K = 10;
  private static final int SERVICES = 100;
  private static final int BATCH = 1000;
  /** Warm-up ends after this many calls per variant or {@link #WARM_UP_NANOS}: enough for the JIT's C2 tier. */
  private static final int WARM_UP_CALLS = 5_000;
  private static final long WARM_UP_NANOS = 5_000_000_000L;
  private static final int TIMED_PASSES = 3;

  private final int count;
  private final int dimension;
  private final int queryCount;
  private final Path directory;
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
    Path out = null;
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
        runtime.availableProcessors(), runtime.maxMemory() >> 20, cpu(), queryCount, K);
    line("");
  }

  private void run(Quantization quantization) throws Exception {
    Path path = directory.resolve(quantization.name().toLowerCase(Locale.ROOT));
    deleteRecursively(path);
    Vectors.Clustered source = new Vectors.Clustered(dimension, 100, 42);
    List<float[]> queries = new ArrayList<>();
    for (int i = 0; i < queryCount; i++) {
      queries.add(source.next());
    }
    LuceneConfig config = LuceneConfig.builder(path, dimension).quantization(quantization).build();
    try (LuceneVectorIndex index = LuceneVectorIndex.open(config)) {
      long started = System.nanoTime();
      List<Ability> batch = new ArrayList<>(BATCH);
      for (int i = 0; i < count; i++) {
        batch.add(Abilities.simple("a" + i, "svc-" + (i % SERVICES), i % 2 == 0, dimension)
            .withEmbedding(Embedding.of(source.next())));
        if (batch.size() == BATCH || i == count - 1) {
          index.upsert(batch);
          batch.clear();
        }
      }
      double buildSeconds = (System.nanoTime() - started) / 1e9;
      long mergeStarted = System.nanoTime();
      index.forceMerge(1);
      double mergeSeconds = (System.nanoTime() - mergeStarted) / 1e9;

      try (FSDirectory fs = FSDirectory.open(path); DirectoryReader reader = DirectoryReader.open(fs)) {
        IndexSearcher raw = new IndexSearcher(reader);
        Query service = new TermQuery(new Term("service", "svc-7"));
        AbilityFilter serviceFilter = AbilityFilter.builder().service("svc-7").build();
        int candidates = Math.max(K, config.efSearch());

        List<Set<String>> truth = new ArrayList<>();
        List<Set<String>> filteredTruth = new ArrayList<>();
        for (float[] query : queries) {
          truth.add(ids(raw, exact(raw, query, null)));
          filteredTruth.add(ids(raw, exact(raw, query, service)));
        }
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();

        line("### %s", quantization == Quantization.NONE ? "Full precision (float32)" : "int8 scalar quantisation, "
            + config.oversample() + "× over-fetch rescored at full precision");
        line("");
        line("Build: %,d abilities in %.1f s (%,.0f abilities/s, batches of %,d, each committed); force-merge to one "
            + "segment %.1f s. Heap after GC %,d MiB, process RSS %,d MiB; index on disk %,d MiB.", count, buildSeconds,
            count / buildSeconds, BATCH, mergeSeconds, heap >> 20, rssKiB() >> 10, sizeOf(path) >> 20);
        line("");
        line("| search | p50 ms | p99 ms | QPS, 1 thread | QPS, 2 threads | recall@10 |");
        line("|---|---|---|---|---|---|");
        List<Variant> unfiltered = List.of(
            new Variant("Ability Store `search` (vector)", truth, q -> ids(index.search(
                new VectorSearch(Embedding.of(queries.get(q)), null, K, SearchMode.VECTOR, AbilityFilter.ALL)))),
            new Variant("raw Lucene `KnnFloatVectorQuery`", truth, q -> ids(raw, rawSearch(raw,
                new KnnFloatVectorQuery("embedding", queries.get(q), candidates)))),
            new Variant("raw Lucene `KnnFloatVectorQuery` + stored documents of the hits", truth,
                q -> ids(raw, withStored(raw, rawSearch(raw,
                    new KnnFloatVectorQuery("embedding", queries.get(q), candidates))))));
        List<Variant> filtered = List.of(
            new Variant("Ability Store, 1 % service filter", filteredTruth, q -> ids(index.search(
                new VectorSearch(Embedding.of(queries.get(q)), null, K, SearchMode.VECTOR, serviceFilter)))),
            new Variant("raw Lucene, 1 % service filter", filteredTruth, q -> ids(raw, rawSearch(raw,
                new KnnFloatVectorQuery("embedding", queries.get(q), candidates, service)))),
            new Variant("raw Lucene + stored documents, 1 % service filter", filteredTruth, q -> ids(raw,
                withStored(raw, rawSearch(raw, new KnnFloatVectorQuery("embedding", queries.get(q), candidates,
                    service))))));
        List<Measurement> measured = new ArrayList<>(measure(unfiltered, queries));
        measured.add(measure(List.of(new Variant("exact scan", null,
            q -> ids(raw, exact(raw, queries.get(q), null)))), queries).get(0));
        measured.addAll(measure(filtered, queries));
        measured.add(measure(List.of(new Variant("exact scan, 1 % service filter", null,
            q -> ids(raw, exact(raw, queries.get(q), service)))), queries).get(0));
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
    deleteRecursively(path);
  }

  private static List<ScoreDoc> rawSearch(IndexSearcher searcher, Query query) {
    try {
      return List.of(searcher.search(query, K).scoreDocs);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Loads the stored document of every hit, as any caller of raw Lucene must to use its results. */
  private static List<ScoreDoc> withStored(IndexSearcher searcher, List<ScoreDoc> hits) {
    try {
      org.apache.lucene.index.StoredFields stored = searcher.storedFields();
      for (ScoreDoc hit : hits) {
        stored.document(hit.doc);
      }
      return hits;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static double overhead(Measurement ours, Measurement raw) {
    return (ours.percentileMillis(50) / raw.percentileMillis(50) - 1) * 100;
  }

  /** One way to answer a query, and the exact answers to score it against (null for the exact scan itself). */
  private record Variant(String name, List<Set<String>> truth, IntFunction<Set<String>> search) {}

  /**
   * Measures variants side by side: all are warmed up ({@value #WARM_UP_CALLS} calls each or five
   * seconds, so that the JIT has compiled every search path), then each query is timed once per variant, the variants taking
   * turns going first, over {@value #TIMED_PASSES} passes, so that every variant meets the same
   * machine state; throughput on one and two threads is measured afterwards, per variant.
   */
  private List<Measurement> measure(List<Variant> variants, List<float[]> queries) throws Exception {
    long warmUpStarted = System.nanoTime();
    for (int pass = 0, calls = 0; calls < WARM_UP_CALLS && System.nanoTime() - warmUpStarted < WARM_UP_NANOS; pass++) {
      for (int q = 0; q < queries.size(); q++, calls++) {
        for (Variant variant : variants) {
          variant.search().apply(q);
        }
      }
    }
    int passes = variants.get(0).truth() == null ? 1 : TIMED_PASSES;
    long[][] nanos = new long[variants.size()][passes * queries.size()];
    double[] found = new double[variants.size()];
    for (int pass = 0; pass < passes; pass++) {
      for (int q = 0; q < queries.size(); q++) {
        for (int turn = 0; turn < variants.size(); turn++) {
          int v = (turn + q + pass) % variants.size();
          Variant variant = variants.get(v);
          long started = System.nanoTime();
          Set<String> result = variant.search().apply(q);
          nanos[v][pass * queries.size() + q] = System.nanoTime() - started;
          if (variant.truth() != null && pass == 0) {
            Set<String> expected = variant.truth().get(q);
            found[v] += result.stream().filter(expected::contains).count() / (double) Math.max(1, expected.size());
          }
        }
      }
    }
    List<Measurement> measurements = new ArrayList<>();
    for (int v = 0; v < variants.size(); v++) {
      Variant variant = variants.get(v);
      measurements.add(new Measurement(variant.name(), nanos[v], throughput(queries.size(), 1, variant.search()),
          throughput(queries.size(), 2, variant.search()),
          variant.truth() == null ? Double.NaN : found[v] / queries.size()));
    }
    return measurements;
  }

  private static double throughput(int queries, int threads, IntFunction<Set<String>> search) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      long started = System.nanoTime();
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int offset = t;
        runs.add(pool.submit(() -> {
          for (int q = 0; q < queries; q++) {
            search.apply((q + offset * 7) % queries);
          }
        }));
      }
      for (Future<?> run : runs) {
        run.get();
      }
      return threads * queries / ((System.nanoTime() - started) / 1e9);
    }
  }

  private static Set<String> ids(List<SearchHit> hits) {
    Set<String> ids = new HashSet<>();
    hits.forEach(hit -> ids.add(hit.ability().abilityId()));
    return ids;
  }

  private static Set<String> ids(IndexSearcher searcher, List<ScoreDoc> docs) {
    try {
      Set<String> ids = new HashSet<>();
      List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
      for (ScoreDoc doc : docs) {
        LeafReaderContext leaf = leaves.get(org.apache.lucene.index.ReaderUtil.subIndex(doc.doc, leaves));
        SortedDocValues values = leaf.reader().getSortedDocValues("id");
        values.advanceExact(doc.doc - leaf.docBase);
        ids.add(values.lookupOrd(values.ordValue()).utf8ToString());
      }
      return ids;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The exact top k: the full-precision vector of every live document, compared with the query.
   * (A quantised index's own {@code scorer()} would compare quantised vectors: not exact.)
   */
  private static List<ScoreDoc> exact(IndexSearcher searcher, float[] query, Query filter) {
    try {
      PriorityQueue<ScoreDoc> best = new PriorityQueue<>(Comparator.comparingDouble((ScoreDoc doc) -> doc.score));
      Weight weight = filter == null ? null
          : searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
      for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
        FloatVectorValues values = leaf.reader().getFloatVectorValues("embedding");
        Bits live = leaf.reader().getLiveDocs();
        FixedBitSet accepted = null;
        if (weight != null) {
          accepted = new FixedBitSet(leaf.reader().maxDoc());
          Scorer scorer = weight.scorer(leaf);
          if (scorer != null) {
            accepted.or(scorer.iterator());
          }
        }
        KnnVectorValues.DocIndexIterator iterator = values.iterator();
        for (int doc = iterator.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = iterator.nextDoc()) {
          if ((live != null && !live.get(doc)) || (accepted != null && !accepted.get(doc))) {
            continue;
          }
          float score = VectorSimilarityFunction.COSINE.compare(query, values.vectorValue(iterator.index()));
          if (best.size() < K) {
            best.add(new ScoreDoc(leaf.docBase + doc, score));
          } else if (score > best.peek().score) {
            best.poll();
            best.add(new ScoreDoc(leaf.docBase + doc, score));
          }
        }
      }
      return new ArrayList<>(best);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long rssKiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) ;
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  private static String cpu() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException e) {
      return "unknown CPU";
    }
    return "unknown CPU";
  }

  private static long sizeOf(Path path) throws IOException {
    try (var files = Files.walk(path)) {
      return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (Files.exists(path)) {
      try (var files = Files.walk(path)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
  }

  private void line(String format, Object... arguments) {
    report.append(String.format(format, arguments)).append('\n');
  }
}
