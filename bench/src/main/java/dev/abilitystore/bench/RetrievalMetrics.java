package dev.abilitystore.bench;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recall@1/5/10, MRR and nDCG@10 with binary relevance, averaged over queries. Recall@k is the
 * share of a query's relevant abilities found in its top k; MRR the mean of 1 / rank of the first
 * relevant hit (0 when none is in the list); nDCG@10 divides the discounted gain of the top 10
 * ({@code 1 / log2(rank + 1)} per relevant hit) by that of the ideal ranking.
 */
final class RetrievalMetrics {
  private int queries;
  private double recallAt1;
  private double recallAt5;
  private double recallAt10;
  private double reciprocalRank;
  private double ndcgAt10;

  /** Adds one query's ranked answer (best first) against its relevant ids. */
  void add(List<String> ranked, Set<String> relevant) {
    queries++;
    recallAt1 += recall(ranked, relevant, 1);
    recallAt5 += recall(ranked, relevant, 5);
    recallAt10 += recall(ranked, relevant, 10);
    for (int rank = 0; rank < ranked.size(); rank++) {
      if (relevant.contains(ranked.get(rank))) {
        reciprocalRank += 1.0 / (rank + 1);
        break;
      }
    }
    ndcgAt10 += ndcg(ranked, relevant, 10);
  }

  private static double recall(List<String> ranked, Set<String> relevant, int k) {
    if (relevant.isEmpty()) {
      return 0;
    }
    long found = ranked.stream().limit(k).filter(relevant::contains).count();
    return found / (double) relevant.size();
  }

  private static double ndcg(List<String> ranked, Set<String> relevant, int k) {
    double gain = 0;
    for (int rank = 0; rank < Math.min(k, ranked.size()); rank++) {
      if (relevant.contains(ranked.get(rank))) {
        gain += discount(rank);
      }
    }
    double ideal = 0;
    for (int rank = 0; rank < Math.min(k, relevant.size()); rank++) {
      ideal += discount(rank);
    }
    return ideal == 0 ? 0 : gain / ideal;
  }

  private static double discount(int rank) {
    return 1 / (Math.log(rank + 2) / Math.log(2));
  }

  /** Returns the averages as report columns. */
  Map<String, Object> columns() {
    return BenchReport.row("recall_at_1", round(recallAt1), "recall_at_5", round(recallAt5),
        "recall_at_10", round(recallAt10), "mrr", round(reciprocalRank), "ndcg_at_10", round(ndcgAt10),
        "queries", queries);
  }

  double ndcgAt10() {
    return queries == 0 ? 0 : ndcgAt10 / queries;
  }

  double recallAt5() {
    return queries == 0 ? 0 : recallAt5 / queries;
  }

  private double round(double sum) {
    return queries == 0 ? 0 : Math.round(sum / queries * 10_000) / 10_000.0;
  }
}
