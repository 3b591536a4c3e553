package dev.abilitystore.lucene;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.ScoreDoc;

/**
 * The two ways hybrid search merges its lists ({@link Fusion}). Weighted reciprocal-rank fusion (Cormack, Clarke and Büttcher, 2009): a document scores
 * {@code sum(weight / (k + rank))} over the lists it appears in, ranks counted from 1, and the
 * sum is divided by the best possible one, {@code sum(weights) / (k + 1)}, so scores are in
 * [0, 1]. Ranks only, never raw scores, which is what makes BM25 and cosine comparable.
 * Ties go to the smaller document id, so fusion is deterministic.
 */
public final class RankFusion {
  private RankFusion() {}

  /**
   * Fuses a vector and a keyword list, best first, as {@code config} says ({@link LuceneConfig#fusion()},
   * weights, RRF constant) and keeps the best {@code limit}: what hybrid search does, public so
   * that benchmarks can run the same fusion over raw Lucene lists.
   */
  public static List<ScoreDoc> fuse(List<ScoreDoc> vector, List<ScoreDoc> keyword, LuceneConfig config, int limit) {
    return switch (config.fusion()) {
      case RRF -> fuse(vector, keyword, config.vectorWeight(), config.keywordWeight(), config.rrfK(), limit);
      case CONVEX -> convex(vector, keyword, config.vectorWeight(), config.keywordWeight(), limit);
    };
  }

  static List<ScoreDoc> fuse(List<ScoreDoc> vector, List<ScoreDoc> keyword, float vectorWeight, float keywordWeight,
      int k, int limit) {
    Map<Integer, Double> scores = new HashMap<>();
    add(scores, vector, vectorWeight, k);
    add(scores, keyword, keywordWeight, k);
    double best = (vectorWeight + keywordWeight) / (double) (k + 1);
    List<ScoreDoc> fused = new ArrayList<>(scores.size());
    scores.forEach((doc, score) -> fused.add(new ScoreDoc(doc, (float) (score / best))));
    fused.sort((left, right) -> left.score != right.score ? Float.compare(right.score, left.score)
        : Integer.compare(left.doc, right.doc));
    return fused.size() > limit ? fused.subList(0, limit) : fused;
  }

  private static void add(Map<Integer, Double> scores, List<ScoreDoc> ranked, float weight, int k) {
    for (int rank = 0; rank < ranked.size(); rank++) {
      scores.merge(ranked.get(rank).doc, weight / (double) (k + rank + 1), Double::sum);
    }
  }

  /**
   * Convex combination of min-max normalised scores ({@link Fusion#CONVEX}): each list's scores
   * are mapped onto [0, 1] over its own candidates (a one-element list scores 1), a document
   * absent from a list gets 0 there, and the weighted mean is the fused score, already in [0, 1].
   */
  static List<ScoreDoc> convex(List<ScoreDoc> vector, List<ScoreDoc> keyword, float vectorWeight, float keywordWeight,
      int limit) {
    Map<Integer, Double> scores = new HashMap<>();
    double total = vectorWeight + keywordWeight;
    addNormalised(scores, vector, vectorWeight / total);
    addNormalised(scores, keyword, keywordWeight / total);
    List<ScoreDoc> fused = new ArrayList<>(scores.size());
    scores.forEach((doc, score) -> fused.add(new ScoreDoc(doc, (float) (double) score)));
    fused.sort((left, right) -> left.score != right.score ? Float.compare(right.score, left.score)
        : Integer.compare(left.doc, right.doc));
    return fused.size() > limit ? fused.subList(0, limit) : fused;
  }

  private static void addNormalised(Map<Integer, Double> scores, List<ScoreDoc> ranked, double weight) {
    if (ranked.isEmpty()) {
      return;
    }
    float best = ranked.get(0).score;
    float worst = ranked.get(ranked.size() - 1).score;
    for (ScoreDoc hit : ranked) {
      double normalised = best > worst ? (hit.score - worst) / (double) (best - worst) : 1.0;
      scores.merge(hit.doc, weight * normalised, Double::sum);
    }
  }
}
