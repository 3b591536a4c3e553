package dev.abilitystore.search;

import dev.abilitystore.Ability;
import dev.abilitystore.Embedding;
import dev.abilitystore.port.SearchHit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The exact top-k by cosine similarity over abilities streamed past it, in bounded memory (a heap
 * of k). Scores are on the vector index's scale, {@code (1 + cosine) / 2} in [0, 1], so that an
 * exact answer and the index's answer can stand in for each other. Ties go to the smaller
 * ability id. Not thread-safe: one instance per search.
 */
public final class ExactSearch {
  private static final Comparator<SearchHit> WORST_FIRST = Comparator.comparingDouble(SearchHit::score)
      .thenComparing(hit -> hit.ability().abilityId(), Comparator.reverseOrder());

  private final float[] query;
  private final double queryNorm;
  private final int k;
  private final PriorityQueue<SearchHit> best;

  public ExactSearch(Embedding query, int k) {
    this.query = query.toArray();
    this.queryNorm = query.norm();
    this.k = k;
    this.best = new PriorityQueue<>(k + 1, WORST_FIRST);
  }

  /** Considers one ability; one without an embedding, or of another dimension, is skipped. */
  public void offer(Ability ability) {
    Embedding embedding = ability.embedding();
    if (embedding == null || embedding.dimension() != query.length) {
      return;
    }
    double score = (1 + cosine(embedding)) / 2;
    SearchHit hit = new SearchHit(ability.withEmbedding(null), Math.min(1.0, Math.max(0.0, score)));
    if (best.size() < k) {
      best.add(hit);
    } else if (WORST_FIRST.compare(hit, best.peek()) > 0) {
      best.poll();
      best.add(hit);
    }
  }

  /** Returns the best hits seen, best first. */
  public List<SearchHit> hits() {
    List<SearchHit> hits = new ArrayList<>(best);
    hits.sort(WORST_FIRST.reversed());
    return hits;
  }

  private double cosine(Embedding embedding) {
    double dot = 0;
    for (int i = 0; i < query.length; i++) {
      dot += query[i] * embedding.get(i);
    }
    double norms = queryNorm * embedding.norm();
    return norms == 0 ? 0 : dot / norms;
  }
}
