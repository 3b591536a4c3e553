package dev.abilitystore.port;

import dev.abilitystore.AbilityFilter;
import dev.abilitystore.Embedding;
import dev.abilitystore.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * A search request as a vector index receives it: the query already embedded.
 *
 * @param vector the query embedding; required for {@link SearchMode#VECTOR} and
 *     {@link SearchMode#HYBRID}
 * @param text the query text; required for {@link SearchMode#KEYWORD} and {@link SearchMode#HYBRID}
 * @param k how many results at most, 1 to {@value #MAX_K}
 * @param mode how to rank
 * @param filter applied before ranking, never by dropping ranked results
 */
public record VectorSearch(@Nullable Embedding vector, @Nullable String text, int k, SearchMode mode,
    AbilityFilter filter) {
  /** Most results one search returns. */
  public static final int MAX_K = 1000;

  public VectorSearch {
    if (k < 1 || k > MAX_K) {
      throw new InvalidInputException("k must be between 1 and " + MAX_K + ", was " + k);
    }
    if (mode != SearchMode.KEYWORD && vector == null) {
      throw new InvalidInputException(mode.name().toLowerCase(java.util.Locale.ROOT) + " search needs a vector");
    }
    if (mode != SearchMode.VECTOR && (text == null || text.isBlank())) {
      throw new InvalidInputException(mode.name().toLowerCase(java.util.Locale.ROOT) + " search needs query text");
    }
  }
}
