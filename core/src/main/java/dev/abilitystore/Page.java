package dev.abilitystore;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of results.
 *
 * @param items the results, in ability-id order
 * @param nextCursor pass to {@link AbilityQuery#next(String)} for the next page; null on the last
 */
public record Page<T>(List<T> items, @Nullable String nextCursor) {
  public Page {
    items = List.copyOf(items);
  }

  /** True when a further page may hold results. */
  public boolean hasNext() {
    return nextCursor != null;
  }
}
