package dev.abilitystore.lucene;

/** How hybrid search merges the vector and keyword lists. */
public enum Fusion {
  /**
   * Reciprocal-rank fusion: ranks only, {@code sum(weight / (k + rank))}; the constant k sets how
   * much the first ranks dominate.
   */
  RRF,
  /**
   * Convex combination of scores, each list min-max normalised over its candidates:
   * {@code (wv * vector + wk * keyword) / (wv + wk)}, 0 for a list a document is missing from
   * (Bruch, Gai and Ingber, "An Analysis of Fusion Functions for Hybrid Retrieval", 2023).
   */
  CONVEX
}
