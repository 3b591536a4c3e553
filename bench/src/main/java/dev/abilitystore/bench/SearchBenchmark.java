package dev.abilitystore.bench;

import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.Embedding;
import dev.abilitystore.SearchRequest;
import dev.abilitystore.embed.HashingEmbedder;
import dev.abilitystore.lucene.Quantization;
import dev.abilitystore.port.SearchHit;
import dev.abilitystore.port.SearchMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.jspecify.annotations.Nullable;

/**
 * Part {@code search}: searches through {@link AbilityStore#search} beside raw Lucene and an exact
 * scan on the same data, in the same run; sections {@code search} and {@code memory}.
 *
 * <p><b>Data</b>: for every N and dimension of the profile, a {@link BenchIndex}: N
 * {@link SearchCorpus} abilities (API-like names and descriptions, 100 services) with seeded
 * clustered vectors, full precision, force-merged to one segment. The store wraps that
 * {@code LuceneVectorIndex} as its primary, without PostgreSQL, and is given the query vector,
 * so its embedder is never called: the figures are the store's search path minus embedding the
 * query text. 200 queries: held-out vectors of the same distribution, and 2–4-word texts from the
 * corpus's vocabulary; k = 10. Before the first index's rows every mode and filter is warmed up
 * once (the JIT is cold then), and again before its own row.
 *
 * <p><b>Rows</b>: modes vector, keyword and hybrid × filter {@code none} or {@code service} (one
 * service, 1 % of the abilities) × 1 and 2 threads. Per row:
 * <ul>
 *   <li>{@code p50_ms}, {@code p99_ms}: on 1 thread, single-threaded latencies, every query timed
 *       once per timed pass interleaved with the raw variants (see {@link SideBySide}); on 2 threads,
 *       the latency of every call of the 2-thread throughput run, as each thread timed it.</li>
 *   <li>{@code qps}: calls per second of a closed loop on that many threads.</li>
 *   <li>{@code recall_at_10}: the share of the expected ten found, over the queries. Vector: against
 *       the exact scan's top ten. Keyword: against raw Lucene running the same BM25 query, which is
 *       exact (so 1.0 unless the store ranks differently). Hybrid: against the store's own fusion
 *       (its configuration) of the exact vector top {@code fusionDepth} and the BM25 top
 *       {@code fusionDepth}.</li>
 *   <li>{@code raw_lucene_p50_ms} (and {@code raw_lucene_qps}, {@code raw_lucene_recall_at_10}): the
 *       same work in raw Lucene through an {@link org.apache.lucene.search.IndexSearcher} on the
 *       same directory, loading the stored document of each of the ten hits. Vector: a
 *       {@link org.apache.lucene.search.KnnFloatVectorQuery} exploring {@code efSearch} candidates,
 *       filtered by a term query on the service. Keyword: the query of
 *       {@code LuceneVectorIndex.keywordQuery} (built per call, as the text must be analysed).
 *       Hybrid: both, each {@code fusionDepth} deep, fused by hand with the same formula.
 *       {@code raw_lucene_bare_p50_ms}: the same without loading stored documents.</li>
 *   <li>{@code brute_force_p50_ms} (and {@code brute_force_qps}): vector, the exact scan of every
 *       full-precision vector passing the filter; hybrid, that scan {@code fusionDepth} deep plus
 *       the BM25 query, fused; keyword, null (BM25 is exact already). Measured on its own after
 *       the others, not interleaved, so as not to flush their caches.</li>
 *   <li>{@code ratio_to_raw_lucene} = p50 / raw p50; {@code speedup_over_brute_force} = brute p50 /
 *       p50 (on 2 threads, of the 2-thread latencies).</li>
 * </ul>
 *
 * <p><b>Memory</b> (one row per N and dimension): heap after a GC and process RSS after the
 * searches (the index's files are memory-mapped, so RSS counts the pages searches touched; the
 * exact scans touch every vector), the same right after the build, and the index's size on disk.
 */
final class SearchBenchmark implements BenchPart {
  static final int K = 10;
  static final int QUERIES = 200;

  /** A filter of the rows: as the store takes it and as a raw Lucene query. */
  private record Filter(String name, AbilityFilter filter, @Nullable Query lucene) {}

  private static final List<Filter> FILTERS = List.of(
      new Filter("none", AbilityFilter.ALL, null),
      new Filter("service", AbilityFilter.builder().service(SearchCorpus.FILTER_SERVICE).build(),
          BenchIndex.serviceFilter(SearchCorpus.FILTER_SERVICE)));

  @Override
  public String name() {
    return "search";
  }

  @Override
  public void run(BenchProfile profile, BenchReport report) throws Exception {
    SideBySide side = new SideBySide(profile.full() ? SideBySide.Settings.FULL : SideBySide.Settings.QUICK);
    boolean first = true;
    for (int n : profile.sizes()) {
      for (int dimension : profile.dimensions()) {
        measure(profile, report, side, n, dimension, first);
        first = false;
      }
    }
  }

  /** Measures at {@code n} and {@code dimension}; {@code first} (the JIT is cold): warms every mode up first. */
  private static void measure(BenchProfile profile, BenchReport report, SideBySide side, int n, int dimension,
      boolean first) throws Exception {
    System.out.printf(Locale.ROOT, "search: building %,d abilities × %d dimensions%n", n, dimension);
    try (BenchIndex data = BenchIndex.build(profile.scratch("search-" + n + "-" + dimension), n, dimension, QUERIES,
        Quantization.NONE);
        AbilityStore store = AbilityStore.builder().primary(data.index()).embedder(new HashingEmbedder(dimension))
            .syncOnStart(false).build()) {
      Map<String, Object> afterBuild = Memory.sample();
      System.out.printf(Locale.ROOT, "search: built in %.1f s, force-merged in %.1f s (%d segment), %,d MiB on disk, "
          + "RSS %s MiB%n", data.buildSeconds(), data.mergeSeconds(), data.segments(), data.sizeOnDisk() >> 20,
          afterBuild.get("rss_mib"));
      Queries queries = new Queries(data, store);
      if (first) {
        for (Filter filter : FILTERS) {
          for (SearchMode mode : SearchMode.values()) {
            Group group = queries.group(mode, filter);
            side.warmUp(List.of(group.ours(), group.raw(), group.bare()), QUERIES, side.settings().warmUp());
          }
        }
      }
      for (Filter filter : FILTERS) {
        for (SearchMode mode : SearchMode.values()) {
          Group group = queries.group(mode, filter);
          List<Measurement> measured = side.measure(List.of(group.ours(), group.raw(), group.bare()), QUERIES);
          Measurement brute = group.brute() == null ? null : side.measureAlone(group.brute(), QUERIES);
          for (int threads : side.settings().threads()) {
            Map<String, Object> row = row(n, dimension, mode, filter, threads, measured.get(0), measured.get(1),
                measured.get(2), brute);
            report.add("search", row);
            System.out.printf(Locale.ROOT, "search: n=%d dim=%d %-7s filter=%-7s threads=%d  p50 %s ms (raw %s, "
                + "×%s; brute %s)  p99 %s ms  %s q/s (raw %s)  recall %s%n", n, dimension, row.get("mode"),
                filter.name(), threads, row.get("p50_ms"), row.get("raw_lucene_p50_ms"),
                row.get("ratio_to_raw_lucene"), row.get("brute_force_p50_ms"), row.get("p99_ms"), row.get("qps"),
                row.get("raw_lucene_qps"), row.get("recall_at_10"));
          }
        }
      }
      Map<String, Object> memory = BenchReport.row("part", "search", "n", n, "dim", dimension);
      memory.putAll(Memory.sample());
      memory.put("heap_used_mib_after_build", afterBuild.get("heap_used_mib"));
      memory.put("rss_mib_after_build", afterBuild.get("rss_mib"));
      memory.put("index_disk_mib", data.sizeOnDisk() >> 20);
      memory.put("vectors_mib", (long) n * dimension * Float.BYTES >> 20);
      memory.put("build_s", round(data.buildSeconds(), 1));
      memory.put("force_merge_s", round(data.mergeSeconds(), 1));
      report.add("memory", memory);
      System.out.printf(Locale.ROOT, "search: memory after searching: heap %s MiB, RSS %s MiB%n",
          memory.get("heap_used_mib"), memory.get("rss_mib"));
    }
  }

  private static Map<String, Object> row(int n, int dimension, SearchMode mode, Filter filter, int threads,
      Measurement ours, Measurement raw, Measurement bare, @Nullable Measurement brute) {
    double p50 = p50(ours, threads);
    double rawP50 = p50(raw, threads);
    Double bruteP50 = brute == null ? null : p50(brute, threads);
    return BenchReport.row("n", n, "dim", dimension, "mode", mode.name().toLowerCase(Locale.ROOT),
        "filter", filter.name(), "threads", threads,
        "p50_ms", round(p50, 3),
        "p99_ms", round(threads == 1 ? ours.percentileMillis(99) : ours.at(threads).percentileMillis(99), 3),
        "qps", round(ours.qps(threads), 0),
        "recall_at_10", round(ours.recall(), 3),
        "raw_lucene_p50_ms", round(rawP50, 3),
        "brute_force_p50_ms", bruteP50 == null ? null : round(bruteP50, 3),
        "raw_lucene_bare_p50_ms", round(p50(bare, threads), 3),
        "raw_lucene_qps", round(raw.qps(threads), 0),
        "raw_lucene_recall_at_10", round(raw.recall(), 3),
        "brute_force_qps", brute == null ? null : round(brute.qps(threads), 1),
        "ratio_to_raw_lucene", round(p50 / rawP50, 2),
        "speedup_over_brute_force", bruteP50 == null ? null : round(bruteP50 / p50, 1),
        "queries", QUERIES);
  }

  /** Single-threaded interleaved p50 on 1 thread; the p50 of the calls of the throughput run otherwise. */
  private static double p50(Measurement measurement, int threads) {
    return threads == 1 ? measurement.percentileMillis(50) : measurement.at(threads).percentileMillis(50);
  }

  private static @Nullable Double round(double value, int digits) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return null;
    }
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }

  /**
   * The variants of one mode and filter: the store, raw Lucene doing the same work, raw Lucene bare,
   * and the exact answer computed the slow way (null for keyword).
   */
  private record Group(SideBySide.Variant ours, SideBySide.Variant raw, SideBySide.Variant bare,
      SideBySide.@Nullable Variant brute) {}

  /** The queries of one index and the ways to answer them. */
  private static final class Queries {
    private final BenchIndex data;
    private final AbilityStore store;
    private final List<float[]> vectors;
    private final List<Embedding> embeddings;
    private final List<String> texts;
    private final int depth;

    Queries(BenchIndex data, AbilityStore store) {
      this.data = data;
      this.store = store;
      this.vectors = data.queries();
      this.embeddings = vectors.stream().map(Embedding::of).toList();
      SplittableRandom random = new SplittableRandom(4242);
      List<String> texts = new ArrayList<>(QUERIES);
      for (int q = 0; q < QUERIES; q++) {
        texts.add(SearchCorpus.query(random));
      }
      this.texts = List.copyOf(texts);
      this.depth = Math.max(K, data.config().fusionDepth());
    }

    Group group(SearchMode mode, Filter filter) {
      String label = mode.name().toLowerCase(Locale.ROOT) + (filter.lucene() == null ? "" : ", service filter");
      IntFunction<Set<String>> ours = q -> ids(store.search(new SearchRequest(
          mode == SearchMode.VECTOR ? null : texts.get(q), mode == SearchMode.KEYWORD ? null : embeddings.get(q), K,
          mode, filter.filter())).hits());
      return switch (mode) {
        case VECTOR -> {
          IntFunction<List<ScoreDoc>> knn = q -> data.knn(vectors.get(q), filter.lucene(), K);
          IntFunction<List<ScoreDoc>> exact = q -> data.exact(vectors.get(q), filter.lucene(), K);
          List<Set<String>> truth = truth(exact);
          yield new Group(new SideBySide.Variant("Ability Store " + label, truth, ours),
              new SideBySide.Variant("raw Lucene + stored documents, " + label, truth,
                  q -> data.ids(data.withStored(knn.apply(q)))),
              new SideBySide.Variant("raw Lucene, " + label, truth, q -> data.ids(knn.apply(q))),
              new SideBySide.Variant("exact scan, " + label, null, q -> data.ids(exact.apply(q))));
        }
        case KEYWORD -> {
          IntFunction<List<ScoreDoc>> bm25 = q -> data.bm25(data.index().keywordQuery(texts.get(q), filter.filter()),
              K);
          List<Set<String>> truth = truth(bm25);
          yield new Group(new SideBySide.Variant("Ability Store " + label, truth, ours),
              new SideBySide.Variant("raw Lucene + stored documents, " + label, truth,
                  q -> data.ids(data.withStored(bm25.apply(q)))),
              new SideBySide.Variant("raw Lucene, " + label, truth, q -> data.ids(bm25.apply(q))),
              null);
        }
        case HYBRID -> {
          IntFunction<List<ScoreDoc>> fused = q -> data.fuse(data.knn(vectors.get(q), filter.lucene(), depth),
              data.bm25(data.index().keywordQuery(texts.get(q), filter.filter()), depth), K);
          IntFunction<List<ScoreDoc>> exact = q -> data.fuse(data.exact(vectors.get(q), filter.lucene(), depth),
              data.bm25(data.index().keywordQuery(texts.get(q), filter.filter()), depth), K);
          List<Set<String>> truth = truth(exact);
          yield new Group(new SideBySide.Variant("Ability Store " + label, truth, ours),
              new SideBySide.Variant("raw Lucene + stored documents, " + label, truth,
                  q -> data.ids(data.withStored(fused.apply(q)))),
              new SideBySide.Variant("raw Lucene, " + label, truth, q -> data.ids(fused.apply(q))),
              new SideBySide.Variant("exact scan + BM25, " + label, null, q -> data.ids(exact.apply(q))));
        }
      };
    }

    private List<Set<String>> truth(IntFunction<List<ScoreDoc>> exact) {
      List<Set<String>> truth = new ArrayList<>(QUERIES);
      for (int q = 0; q < QUERIES; q++) {
        truth.add(data.ids(exact.apply(q)));
      }
      return truth;
    }

    private static Set<String> ids(List<SearchHit> hits) {
      Set<String> ids = new HashSet<>();
      hits.forEach(hit -> ids.add(hit.ability().abilityId()));
      return ids;
    }
  }
}
