package dev.abilitystore.testing;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Follows a store's pages to the last one. */
public final class Pages {
  private Pages() {}

  /** Returns the ids of every ability passing {@code filter}, page by page of {@code pageSize}. */
  public static List<String> allIds(Function<AbilityQuery, Page<Ability>> store, AbilityFilter filter, int pageSize) {
    List<String> ids = new ArrayList<>();
    AbilityQuery query = AbilityQuery.firstPage(filter, pageSize);
    while (true) {
      Page<Ability> page = store.apply(query);
      page.items().forEach(ability -> ids.add(ability.abilityId()));
      if (!page.hasNext()) {
        return ids;
      }
      query = query.next(page.nextCursor());
    }
  }
}
