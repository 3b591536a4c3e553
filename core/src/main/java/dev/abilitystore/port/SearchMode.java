package dev.abilitystore.port;

/** How a search ranks abilities. */
public enum SearchMode {
  /** By similarity of embeddings. */
  VECTOR,
  /** By BM25F over name, service, description and details (tags, path, parameters). */
  KEYWORD,
  /** The vector and keyword lists fused into one (by normalised scores, or by reciprocal rank). */
  HYBRID
}
