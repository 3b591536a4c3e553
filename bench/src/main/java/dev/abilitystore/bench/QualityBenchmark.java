package dev.abilitystore.bench;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.Embedding;
import dev.abilitystore.SearchRequest;
import dev.abilitystore.embed.HashingEmbedder;
import dev.abilitystore.embeddings.OnnxEmbedder;
import dev.abilitystore.lucene.Fusion;
import dev.abilitystore.lucene.LuceneConfig;
import dev.abilitystore.lucene.LuceneVectorIndex;
import dev.abilitystore.port.Embedder;
import dev.abilitystore.port.SearchHit;
import dev.abilitystore.port.SearchMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Retrieval quality on a test collection ({@code abilities-corpus.jsonl} and
 * {@code dev-queries.jsonl} in the data directory, read where they lie): the corpus is imported
 * through {@link AbilityStore} over Lucene, every query is searched in every mode, top 10, and
 * recall@1/5/10, MRR and nDCG@10 are reported per embedder and mode ({@code quality}), then per
 * search-time setting changed one at a time from the defaults, on the same index, for the modes
 * it can change ({@code quality_settings}), with the bundled model.
 *
 * <p>Embedders: the bundled local model (bge-small-en-v1.5, queries with its instruction prefix)
 * and the hashing embedder (a bag of hashed words: no meaning, a floor). Corpus embeddings are
 * computed once per embedder and kept in a cache outside the run's work directory, keyed by the
 * model and a hash of every text, so reruns skip the slowest step; the first run embeds.
 */
final class QualityBenchmark implements BenchPart {
  private static final int K = 10;
  private static final int BATCH = 1000;

  /** One search-time setting changed from the defaults, and the modes it can change. */
  private record Setting(String name, String value, UnaryOperator<LuceneConfig.Builder> apply, Set<SearchMode> modes) {}

  private static final Set<SearchMode> HYBRID = EnumSet.of(SearchMode.HYBRID);
  private static final Set<SearchMode> TEXT = EnumSet.of(SearchMode.KEYWORD, SearchMode.HYBRID);
  private static final int DEPTH = LuceneConfig.DEFAULT_FUSION_DEPTH;
  private static final int RRF_K = LuceneConfig.DEFAULT_RRF_K;

  private static final List<Setting> SETTINGS = List.of(
      new Setting("fusion", "rrf, k = 60", builder -> builder.fusion(Fusion.RRF), HYBRID),
      new Setting("fusion", "rrf, k = 10", builder -> builder.fusion(Fusion.RRF).fusion(DEPTH, 10, 1f, 1f), HYBRID),
      new Setting("weights", "vector 2 : keyword 1", builder -> builder.fusion(DEPTH, RRF_K, 2f, 1f), HYBRID),
      new Setting("weights", "vector 1 : keyword 2", builder -> builder.fusion(DEPTH, RRF_K, 1f, 2f), HYBRID),
      new Setting("fusion_depth", "20", builder -> builder.fusion(20, RRF_K, 1f, 1f), HYBRID),
      new Setting("name_weight", "1", builder -> builder.nameBoost(1f), TEXT),
      new Setting("name_weight", "4", builder -> builder.nameBoost(4f), TEXT));

  @Override
  public String name() {
    return "quality";
  }

  @Override
  public void run(BenchProfile profile, BenchReport report) throws Exception {
    Path data = profile.dataDirectory();
    if (data == null) {
      String reason = "no test collection: pass --data DIR (a folder with " + RetrievalDataset.CORPUS_FILE
          + " and " + RetrievalDataset.QUERIES_FILE + ") or set ABILITYSTORE_BENCH_DATA";
      System.out.println("quality skipped: " + reason);
      report.put("quality_skipped", reason);
      return;
    }
    RetrievalDataset dataset = RetrievalDataset.read(data);
    System.out.printf(Locale.ROOT, "quality: %,d abilities, %,d queries from %s%n", dataset.corpus().size(),
        dataset.queries().size(), data);
    report.put("quality_data", BenchReport.row("corpus", dataset.corpus().size(), "queries",
        dataset.queries().size(), "directory", data.toString()));
    if (profile.embedders().contains("local")) {
      try (OnnxEmbedder local = new OnnxEmbedder()) {
        evaluate(profile, report, dataset, local, "local", true);
      }
    }
    if (profile.embedders().contains("hashing")) {
      evaluate(profile, report, dataset, new HashingEmbedder(384), "hashing", !profile.embedders().contains("local"));
    }
  }

  private void evaluate(BenchProfile profile, BenchReport report, RetrievalDataset dataset, Embedder embedder,
      String label, boolean withSettings) throws Exception {
    List<Embedding> documents = CorpusEmbeddings.of(embedder, dataset.corpus());
    List<Embedding> queries = new ArrayList<>(dataset.queries().size());
    long started = System.nanoTime();
    for (RetrievalDataset.Query query : dataset.queries()) {
      queries.add(embedder.embedQuery(query.text()));
    }
    System.out.printf(Locale.ROOT, "quality: %s embedded %,d queries in %.1f s%n", label, queries.size(),
        (System.nanoTime() - started) / 1e9);
    List<Ability> corpus = new ArrayList<>(documents.size());
    for (int i = 0; i < documents.size(); i++) {
      corpus.add(dataset.corpus().get(i).withEmbedding(documents.get(i)));
    }
    Path index = profile.scratch("quality-" + label).resolve("index");
    try (AbilityStore store = open(index, profile.scratch("quality-" + label).resolve("data"), embedder,
        builder -> builder)) {
      for (int from = 0; from < corpus.size(); from += BATCH) {
        store.store(corpus.subList(from, Math.min(corpus.size(), from + BATCH)));
      }
      for (SearchMode mode : SearchMode.values()) {
        Map<String, Object> row = BenchReport.row("embedder", embedder.model(), "mode",
            mode.name().toLowerCase(Locale.ROOT));
        row.putAll(measure(store, dataset, queries, mode, label, "defaults").columns());
        report.add("quality", row);
      }
    }
    if (!withSettings) {
      return;
    }
    for (Setting setting : SETTINGS) {
      try (AbilityStore store = open(index, profile.scratch("quality-" + label).resolve("data"), embedder,
          setting.apply())) {
        for (SearchMode mode : setting.modes()) {
          Map<String, Object> row = BenchReport.row("setting", setting.name(), "value", setting.value(),
              "embedder", embedder.model(), "mode", mode.name().toLowerCase(Locale.ROOT));
          row.putAll(measure(store, dataset, queries, mode, label, setting.name() + " = " + setting.value())
              .columns());
          report.add("quality_settings", row);
        }
      }
    }
  }

  /** The store over the index at {@code index}, searched with the defaults changed by {@code setting}. */
  private static AbilityStore open(Path index, Path data, Embedder embedder, UnaryOperator<LuceneConfig.Builder> setting) {
    LuceneConfig config = setting.apply(LuceneConfig.builder(index, embedder.dimension())
        .embedderModel(embedder.model())).build();
    return AbilityStore.builder().primary(LuceneVectorIndex.open(config)).embedder(embedder).dataDirectory(data)
        .syncOnStart(false).build();
  }

  private static RetrievalMetrics measure(AbilityStore store, RetrievalDataset dataset, List<Embedding> queries,
      SearchMode mode, String label, String setting) {
    RetrievalMetrics metrics = new RetrievalMetrics();
    for (int i = 0; i < dataset.queries().size(); i++) {
      RetrievalDataset.Query query = dataset.queries().get(i);
      List<String> ranked = store.search(new SearchRequest(query.text(), queries.get(i), K, mode, AbilityFilter.ALL))
          .hits().stream().map(SearchHit::ability).map(Ability::abilityId).toList();
      metrics.add(ranked, query.relevant());
    }
    System.out.printf(Locale.ROOT, "quality: %-8s %-28s %-8s recall@5 %.3f nDCG@10 %.3f%n", label, setting,
        mode.name().toLowerCase(Locale.ROOT), metrics.recallAt5(), metrics.ndcgAt10());
    return metrics;
  }
}
