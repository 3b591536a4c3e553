package dev.abilitystore.lucene;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.ScoreDoc;

/**
 * Weighted reciprocal-rank fusion (Cormack, Clarke and Büttcher, 2009): a document scores
 * {@code sum(weight / (k + rank))} over the lists it appears in, ranks counted from 1, and the
 * sum is divided by the best possible one, {@code sum(weights) / (k + 1)}, so scores are in
 * [0, 1]. Ranks only, never raw scores, which is what makes BM25 and cosine comparable.
 * Ties go to the smaller document id, so fusion is deterministic.
 */
final class RankFusion {
  private RankFusion() {}

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
}
