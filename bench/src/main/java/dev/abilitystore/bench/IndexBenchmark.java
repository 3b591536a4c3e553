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
  private static final int WARM_UP_PASSES = 5;

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
    for (String arg : args) {
      String[] pair = arg.split("=", 2);
      switch (pair[0]) {
        case "count" -> count = Integer.parseInt(pair[1]);
        case "dimension" -> dimension = Integer.parseInt(pair[1]);
        case "queries" -> queries = Integer.parseInt(pair[1]);
        case "dir" -> directory = Path.of(pair[1]);
        case "out" -> out = Path.of(pair[1]);
        default -> throw new IllegalArgumentException("unknown argument " + arg
            + " (count=, dimension=, queries=, dir=, out=)");
      }
    }
    IndexBenchmark benchmark = new IndexBenchmark(count, dimension, queries, directory);
    benchmark.header();
    for (Quantization quantization : Quantization.values()) {
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
        Measurement ours = measure("Ability Store `search` (vector)", queries, truth, q -> ids(index.search(
            new VectorSearch(Embedding.of(queries.get(q)), null, K, SearchMode.VECTOR, AbilityFilter.ALL))));
        Measurement lucene = measure("raw Lucene `KnnFloatVectorQuery`", queries, truth, q -> ids(raw, rawSearch(raw,
            new KnnFloatVectorQuery("embedding", queries.get(q), candidates))));
        Measurement luceneStored = measure("raw Lucene `KnnFloatVectorQuery` + stored documents of the hits", queries,
            truth, q -> ids(raw, withStored(raw, rawSearch(raw,
            new KnnFloatVectorQuery("embedding", queries.get(q), candidates)))));
        Measurement exact = measure("exact scan", queries, null, q -> ids(raw, exact(raw, queries.get(q), null)));
        Measurement oursFiltered = measure("Ability Store, 1 % service filter", queries, filteredTruth,
            q -> ids(index.search(new VectorSearch(Embedding.of(queries.get(q)), null, K, SearchMode.VECTOR,
                serviceFilter))));
        Measurement luceneFiltered = measure("raw Lucene, 1 % service filter", queries, filteredTruth, q -> ids(raw,
            rawSearch(raw, new KnnFloatVectorQuery("embedding", queries.get(q), candidates, service))));
        Measurement exactFiltered = measure("exact scan, 1 % service filter", queries, null,
            q -> ids(raw, exact(raw, queries.get(q), service)));
        for (Measurement measurement : List.of(ours, lucene, luceneStored, exact, oursFiltered, luceneFiltered,
            exactFiltered)) {
          line("%s", measurement.row());
        }
        line("");
        line("Overhead of Ability Store over raw Lucene at p50: %+.1f %% unfiltered (%+.1f %% over raw Lucene that also "
            + "loads the hits' stored documents), %+.1f %% filtered. Speed-up over the exact scan at p50: %.0f× "
            + "unfiltered, %.1f× filtered.",
            overhead(ours, lucene), overhead(ours, luceneStored), overhead(oursFiltered, luceneFiltered),
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

  /**
   * Runs every query {@value #WARM_UP_PASSES} times to warm up (the JIT compiles the search path),
   * once timed on one thread, then for throughput on one and two threads.
   */
  private Measurement measure(String name, List<float[]> queries, List<Set<String>> truth,
      IntFunction<Set<String>> search) throws Exception {
    for (int pass = 0; pass < WARM_UP_PASSES; pass++) {
      for (int q = 0; q < queries.size(); q++) {
        search.apply(q);
      }
    }
    long[] nanos = new long[queries.size()];
    double found = 0;
    for (int q = 0; q < queries.size(); q++) {
      long started = System.nanoTime();
      Set<String> result = search.apply(q);
      nanos[q] = System.nanoTime() - started;
      if (truth != null) {
        Set<String> expected = truth.get(q);
        found += result.stream().filter(expected::contains).count() / (double) Math.max(1, expected.size());
      }
    }
    return new Measurement(name, nanos, throughput(queries.size(), 1, search), throughput(queries.size(), 2, search),
        truth == null ? Double.NaN : found / queries.size());
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
