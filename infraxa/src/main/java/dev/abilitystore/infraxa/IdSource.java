package dev.abilitystore.infraxa;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where {@link InfraxaVectorIndex} learns which ability ids exist, since the Infraxa API cannot
 * list the vectors of a collection. The application backs it with PostgreSQL's
 * {@code abilities.ability_id}; {@code scan}, {@code query}, {@code count} and
 * {@code serviceCounts} then see exactly the ids it names that Infraxa also holds. Without
 * PostgreSQL use {@link #NONE}: those calls see nothing, so sync cannot rebuild anything from
 * Infraxa, while upsert, get, delete and search work in full. Implementations are thread-safe.
 */
@FunctionalInterface
public interface IdSource {
  /** The source of a deployment without PostgreSQL: it knows no ids. */
  IdSource NONE = (afterAbilityId, limit) -> List.of();

  /**
   * Returns up to {@code limit} ability ids after {@code afterAbilityId} (all when null), in
   * code-point order ({@link dev.abilitystore.identity.AbilityIdOrder}).
   */
  List<String> idsAfter(@Nullable String afterAbilityId, int limit);
}
