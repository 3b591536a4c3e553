package dev.abilitystore;

import dev.abilitystore.port.SearchMode;
import dev.abilitystore.port.VectorSearch;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A search as callers ask it: by text (embedded with the store's embedder), by a vector they
 * bring, or both.
 *
 * @param text the query text; needed by keyword and hybrid search
 * @param vector the query vector; when absent, vector and hybrid search embed {@code text}
 * @param k how many results at most, 1 to {@value VectorSearch#MAX_K}
 * @param mode how to rank
 * @param filter structured conditions, applied before ranking
 */
public record SearchRequest(@Nullable String text, @Nullable Embedding vector, int k, SearchMode mode,
    AbilityFilter filter) {
  /** Results when the caller does not say. */
  public static final int DEFAULT_K = 10;

  public SearchRequest {
    if (k < 1 || k > VectorSearch.MAX_K) {
      throw new InvalidInputException("k must be between 1 and " + VectorSearch.MAX_K + ", was " + k);
    }
    if (text != null && text.isBlank()) {
      text = null;
    }
    if (text == null && vector == null) {
      throw new InvalidInputException("a search needs query text or a vector");
    }
    if (mode != SearchMode.VECTOR && text == null) {
      throw new InvalidInputException(mode.name().toLowerCase(Locale.ROOT) + " search needs query text");
    }
  }

  /** A hybrid search for {@code text}, top {@value #DEFAULT_K}, no filter. */
  public static SearchRequest text(String text) {
    return new SearchRequest(text, null, DEFAULT_K, SearchMode.HYBRID, AbilityFilter.ALL);
  }

  /** A vector search for {@code vector}, top {@value #DEFAULT_K}, no filter. */
  public static SearchRequest vector(Embedding vector) {
    return new SearchRequest(null, vector, DEFAULT_K, SearchMode.VECTOR, AbilityFilter.ALL);
  }

  /** Returns this search with at most {@code k} results. */
  public SearchRequest withK(int k) {
    return new SearchRequest(text, vector, k, mode, filter);
  }

  /** Returns this search ranked by {@code mode}. */
  public SearchRequest withMode(SearchMode mode) {
    return new SearchRequest(text, vector, k, mode, filter);
  }

  /** Returns this search restricted to abilities passing {@code filter}. */
  public SearchRequest withFilter(AbilityFilter filter) {
    return new SearchRequest(text, vector, k, mode, filter);
  }
}
