package dev.abilitystore.search;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.Embedding;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.Page;
import dev.abilitystore.SearchRequest;
import dev.abilitystore.SearchResult;
import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.internal.Cooldown;
import dev.abilitystore.port.Embedder;
import dev.abilitystore.port.RecordStore;
import dev.abilitystore.port.SearchHit;
import dev.abilitystore.port.SearchMode;
import dev.abilitystore.port.VectorIndex;
import dev.abilitystore.port.VectorSearch;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers searches from the primary index and, when it fails, from PostgreSQL's copy of the
 * embeddings by exact scan, saying so ({@code degraded}).
 *
 * <p>After a failure the primary is left alone for a cool-down (a minimal circuit breaker), so
 * a broken index costs one failed call per cool-down instead of one per search. A degraded
 * keyword or hybrid search ranks by the embedding of its text. Query text is embedded through
 * the embedder given, which should cache. Thread-safe.
 */
public final class Searcher {
  private static final Logger log = LoggerFactory.getLogger(Searcher.class);
  /** How long the primary is skipped after it failed a search. */
  public static final Duration COOL_DOWN = Duration.ofSeconds(5);
  private static final int FAILOVER_PAGE = 1000;

  private final VectorIndex primary;
  private final RecordStore secondary;
  private final Embedder embedder;
  private final Cooldown primaryCooldown;
  private final java.util.Set<SearchMode> primaryModes;

  public Searcher(VectorIndex primary, RecordStore secondary, Embedder embedder, InstantSource clock) {
    this.primary = primary;
    this.secondary = secondary;
    this.embedder = embedder;
    this.primaryCooldown = new Cooldown(COOL_DOWN, clock);
    this.primaryModes = primary.searchModes();
  }

  /**
   * Searches; see the class comment for where the answer comes from. A mode the primary cannot
   * rank by (Infraxa has no text search) is answered by vector, and the result says so.
   */
  public SearchResult search(SearchRequest searched) {
    long started = System.nanoTime();
    SearchRequest request = primaryModes.contains(searched.mode()) ? searched
        : searched.withMode(SearchMode.VECTOR);
    Embedding vector = request.mode() == SearchMode.KEYWORD ? null : queryVector(request);
    if (!primaryCooldown.active() || !secondary.enabled()) {
      try {
        List<SearchHit> hits = primary.search(new VectorSearch(vector, request.text(), request.k(), request.mode(),
            request.filter()));
        return new SearchResult(hits, request.mode(), false, millisSince(started));
      } catch (InvalidInputException e) {
        throw e;
      } catch (RuntimeException e) {
        if (!secondary.enabled()) {
          throw e;
        }
        primaryCooldown.start();
        log.warn("[VectorDB] Search failed in {} ({}); answering from PostgreSQL by exact scan for the next {} s",
            primary.name(), e.getMessage(), COOL_DOWN.toSeconds());
      }
    }
    Embedding failoverVector = vector != null ? vector : queryVector(request);
    return new SearchResult(exactScan(failoverVector, request), SearchMode.VECTOR, true, millisSince(started));
  }

  private Embedding queryVector(SearchRequest request) {
    if (request.vector() != null) {
      return request.vector();
    }
    return embedder.embedQuery(java.util.Objects.requireNonNull(request.text()));
  }

  private List<SearchHit> exactScan(Embedding vector, SearchRequest request) {
    ExactSearch exact = new ExactSearch(vector, request.k());
    AbilityQuery query = AbilityQuery.firstPage(request.filter(), FAILOVER_PAGE);
    try {
      while (true) {
        Page<Ability> page = secondary.query(query);
        page.items().forEach(exact::offer);
        if (!page.hasNext()) {
          return exact.hits();
        }
        query = query.next(java.util.Objects.requireNonNull(page.nextCursor()));
      }
    } catch (InvalidInputException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new StoreUnavailableException("search is unavailable: the " + primary.name() + " index failed and "
          + "PostgreSQL could not answer either (" + e.getMessage() + ")", e);
    }
  }

  private static long millisSince(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
