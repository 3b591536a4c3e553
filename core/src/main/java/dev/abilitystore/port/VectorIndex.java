package dev.abilitystore.port;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.Page;
import dev.abilitystore.ServiceCount;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The primary store: abilities with their embeddings, searchable by meaning.
 *
 * <p>Implementations are thread-safe. A write is durable when its call returns, and visible to
 * searches from then on. Abilities given to {@link #upsert} have passed validation and
 * redaction and carry an embedding of {@link #dimension()} components.
 */
public interface VectorIndex extends AutoCloseable {
  /** Returns a short name for logs and health reports, such as {@code lucene}. */
  String name();

  /** Returns the dimension of every embedding this index holds. */
  int dimension();

  /**
   * Inserts or replaces each ability by id; one whose content hash is unchanged is not written.
   * Durable and searchable when the call returns.
   * Timestamps the ability carries are stored as they are (so that both stores agree on them);
   * a missing {@code created_at} becomes the stored copy's or now, a missing {@code updated_at} now.
   *
   * @throws dev.abilitystore.DimensionMismatchException if an embedding is not {@link #dimension()} long
   */
  UpsertReport upsert(List<Ability> abilities);

  /** Deletes the abilities with these ids, durably; ids that are not there are ignored. */
  void delete(Collection<String> abilityIds);

  /** Returns the ability with this id, with its embedding. */
  Optional<Ability> get(String abilityId);

  /** Returns those of these abilities that exist, with their embeddings, in no particular order. */
  default List<Ability> getAll(Collection<String> abilityIds) {
    List<Ability> found = new java.util.ArrayList<>(abilityIds.size());
    for (String abilityId : abilityIds) {
      get(abilityId).ifPresent(found::add);
    }
    return found;
  }

  /**
   * True when {@link #scan} and {@link #count} see every ability this index holds. False for an
   * index that learns its ids elsewhere (Infraxa, from PostgreSQL): the store then records each
   * write's ids before making it, so that a crash between the two stores' writes cannot leave an
   * ability here alone, where no sync would see it.
   */
  default boolean scansWhatItHolds() {
    return true;
  }

  /** Returns the search modes this index can rank by; all of them unless it says otherwise. */
  default java.util.Set<SearchMode> searchModes() {
    return java.util.EnumSet.allOf(SearchMode.class);
  }

  /** Returns up to {@code k} abilities passing the filter, best first; hits carry no embedding. */
  List<SearchHit> search(VectorSearch search);

  /**
   * Returns one page of abilities passing the query's filter, in id order, so that a deployment
   * without PostgreSQL still answers structured queries. The abilities may come without their
   * embedding; {@link #get} and {@link #scan} always carry it.
   */
  Page<Ability> query(AbilityQuery query);

  /** Returns up to {@code limit} abilities with ids after {@code afterAbilityId}, in id order. */
  Page<Ability> scan(@Nullable String afterAbilityId, int limit);

  /** Returns how many abilities the index holds. */
  long count();

  /** Returns the ability counts of every service, by service name. */
  List<ServiceCount> serviceCounts();

  /** Returns whether the index can serve. */
  Health health();

  /**
   * Returns numbers that describe the index's own machinery, by snake_case name (such as a
   * remote index's {@code circuit_breaker_state}), for {@code /metrics}; the names are fixed
   * for the life of the index. None by default.
   */
  default java.util.Map<String, Double> gauges() {
    return java.util.Map.of();
  }

  /** Releases the index's resources; further calls fail. */
  @Override
  void close();
}
