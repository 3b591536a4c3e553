package dev.abilitystore.port;

/** How a search ranks abilities. */
public enum SearchMode {
  /** By similarity of embeddings. */
  VECTOR,
  /** By BM25 over name, service and description. */
  KEYWORD,
  /** Reciprocal-rank fusion of the vector and keyword lists. */
  HYBRID
}
