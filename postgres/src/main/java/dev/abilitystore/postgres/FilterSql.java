package dev.abilitystore.postgres;

import dev.abilitystore.AbilityFilter;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The WHERE clause of a structured query, with its parameters; user text only ever travels as
 * a parameter. Substring filters escape {@code %}, {@code _} and {@code \} so they match
 * literally.
 *
 * @param clause the condition, {@code TRUE} when there is none
 * @param parameters values for its placeholders, in order; a {@code String[]} is a text array
 */
record FilterSql(String clause, List<Object> parameters) {

  static FilterSql of(AbilityFilter filter, @Nullable String afterAbilityId) {
    List<String> conditions = new ArrayList<>();
    List<Object> parameters = new ArrayList<>();
    if (!filter.serviceNames().isEmpty()) {
      conditions.add("service_name = ANY (?)");
      parameters.add(filter.serviceNames().toArray(String[]::new));
    }
    if (filter.dynamicHeadersRequired() != null) {
      conditions.add("dynamic_headers_required = ?");
      parameters.add(filter.dynamicHeadersRequired());
    }
    if (filter.textContains() != null) {
      String pattern = "%" + escapeLike(filter.textContains()) + "%";
      conditions.add("(ability_name ILIKE ? OR description ILIKE ?)");
      parameters.add(pattern);
      parameters.add(pattern);
    }
    range(conditions, parameters, "created_at >= ?", filter.createdFrom());
    range(conditions, parameters, "created_at < ?", filter.createdBefore());
    range(conditions, parameters, "updated_at >= ?", filter.updatedFrom());
    range(conditions, parameters, "updated_at < ?", filter.updatedBefore());
    if (afterAbilityId != null) {
      conditions.add("ability_id COLLATE \"C\" > ?");
      parameters.add(afterAbilityId);
    }
    return new FilterSql(conditions.isEmpty() ? "TRUE" : String.join(" AND ", conditions), parameters);
  }

  private static void range(List<String> conditions, List<Object> parameters, String condition,
      java.time.@Nullable Instant instant) {
    if (instant != null) {
      conditions.add(condition);
      parameters.add(AbilityRows.localDateTime(instant));
    }
  }

  /** Escapes LIKE's wildcards with the default escape character, the backslash. */
  static String escapeLike(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
