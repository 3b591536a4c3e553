package dev.abilitystore;

import dev.abilitystore.port.SearchHit;
import dev.abilitystore.port.SearchMode;
import java.util.List;

/**
 * The answer of {@link AbilityStore#search}.
 *
 * @param hits best first; abilities without their embeddings
 * @param mode how the hits were ranked (a degraded keyword or hybrid search ranks by vector)
 * @param degraded true when the primary could not answer and PostgreSQL's copy of the
 *     embeddings did, by exact scan
 * @param tookMs how long the call took, in milliseconds
 */
public record SearchResult(List<SearchHit> hits, SearchMode mode, boolean degraded, long tookMs) {
  public SearchResult {
    hits = List.copyOf(hits);
  }
}
