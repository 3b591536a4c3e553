package dev.abilitystore.port;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.Page;
import dev.abilitystore.ServiceCount;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The secondary store: abilities as rows, for structured queries, redundancy and a copy of the
 * embeddings that search can fall back on.
 *
 * <p>Implementations are thread-safe. {@link #disabled()} stands for "no secondary configured".
 */
public interface RecordStore extends AutoCloseable {
  /** Returns the record store that stands for "no secondary": it holds nothing and writes nowhere. */
  static RecordStore disabled() {
    return DisabledRecordStore.INSTANCE;
  }

  /** True for a configured store; false for {@link #disabled()}. */
  default boolean enabled() {
    return true;
  }

  /**
   * Inserts or replaces each ability by id. A replaced ability keeps its {@code created_at}; one
   * whose content hash is unchanged is not written at all. Each ability must carry an embedding.
   * Timestamps the ability carries are stored as they are (so that both stores agree on them);
   * a missing {@code created_at} becomes the stored copy's or now, a missing {@code updated_at} now.
   */
  UpsertReport upsert(List<Ability> abilities);

  /**
   * Upserts as {@link #upsert} does, side by side with the primary's write of the same batch,
   * but makes the write durable and visible only once {@code primary} says that write
   * succeeded, so that the secondary never holds a write the primary refused. A store with
   * transactions prepares its write while the primary writes and commits it afterwards; the
   * default waits for the primary, then upserts.
   *
   * @return what was written, or empty when the primary's write failed and nothing was
   */
  default Optional<UpsertReport> upsertAfter(List<Ability> abilities, PrimaryWrite primary) {
    return primary.succeeded() ? Optional.of(upsert(abilities)) : Optional.empty();
  }

  /** Deletes the abilities with these ids and returns how many existed. */
  int delete(Collection<String> abilityIds);

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

  /** Returns the embedder recorded as the maker of the stored vectors, if one was recorded. */
  Optional<EmbedderStamp> recordedEmbedder();

  /** Records {@code stamp} as the maker of the stored vectors, replacing any earlier record. */
  void recordEmbedder(EmbedderStamp stamp);

  /** Returns one page of abilities passing the query's filter, in id order. */
  Page<Ability> query(AbilityQuery query);

  /** Returns how many abilities pass the filter. */
  long count(AbilityFilter filter);

  /** Returns the ability counts of every service, by service name. */
  List<ServiceCount> serviceCounts();

  /** Returns up to {@code limit} abilities with ids after {@code afterAbilityId}, in id order. */
  Page<Ability> scan(@Nullable String afterAbilityId, int limit);

  /** Returns whether the store can serve. */
  Health health();

  /** Releases the store's resources; further calls fail. */
  @Override
  void close();
}
