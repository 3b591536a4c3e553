package dev.abilitystore.embed;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.abilitystore.Embedding;
import dev.abilitystore.port.Embedder;
import java.util.List;

/**
 * An embedder that remembers the embeddings of recent queries (bounded, least-recently-used
 * first out), so a repeated search costs no model call. Documents are not cached: each is
 * embedded once, when stored. Thread-safe.
 */
public final class CachingEmbedder implements Embedder {
  public static final int DEFAULT_MAXIMUM_SIZE = 10_000;

  private final Embedder delegate;
  private final Cache<String, Embedding> queries;

  public CachingEmbedder(Embedder delegate, int maximumSize) {
    this.delegate = delegate;
    this.queries = Caffeine.newBuilder().maximumSize(maximumSize).recordStats().build();
  }

  @Override
  public String model() {
    return delegate.model();
  }

  @Override
  public int dimension() {
    return delegate.dimension();
  }

  @Override
  public List<Embedding> embedDocuments(List<String> texts) {
    return delegate.embedDocuments(texts);
  }

  @Override
  public Embedding embedQuery(String text) {
    return queries.get(text, delegate::embedQuery);
  }

  /** Returns the hit and miss counts of the query cache, for metrics. */
  public CacheStats stats() {
    return queries.stats();
  }

  /** Returns the embedder this one caches for. */
  public Embedder delegate() {
    return delegate;
  }
}
