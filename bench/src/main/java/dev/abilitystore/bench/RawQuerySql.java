package dev.abilitystore.bench;

import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The statement {@code PostgresRecordStore.query} sends for an {@link AbilityQuery}, character
 * for character (its {@code page} method over {@code FilterSql}, with {@code AbilityRows.COLUMNS}),
 * run over plain JDBC as the raw baseline: same text, same parameters, same {@code LIMIT} of the
 * page size plus one; the rows are read with {@link ResultSet} getters only, nothing parsed.
 * Only the conditions the benchmark uses are supported (services, credentials, text, cursor).
 *
 * @param sql the statement, with placeholders
 * @param parameters its parameters in order; a {@code String[]} is a text array
 */
record RawQuerySql(String sql, List<Object> parameters) {
  private static final String COLUMNS = "ability_id, ability_name, service_name, description, embedding::text, "
      + "dynamic_header_keys::text, metadata::text, created_at, updated_at";

  static RawQuerySql of(AbilityQuery query) {
    AbilityFilter filter = query.filter();
    if (filter.createdFrom() != null || filter.createdBefore() != null || filter.updatedFrom() != null
        || filter.updatedBefore() != null) {
      throw new IllegalArgumentException("time ranges are not mirrored by the benchmark");
    }
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
    String text = filter.textContains();
    if (text != null) {
      String pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
      conditions.add("(ability_name ILIKE ? OR description ILIKE ?)");
      parameters.add(pattern);
      parameters.add(pattern);
    }
    String after = query.afterAbilityId();
    if (after != null) {
      conditions.add("ability_id COLLATE \"C\" > ?");
      parameters.add(after);
    }
    parameters.add(query.limit() + 1);
    String where = conditions.isEmpty() ? "TRUE" : String.join(" AND ", conditions);
    return new RawQuerySql("SELECT " + COLUMNS + " FROM abilities WHERE ability_id IN (SELECT ability_id FROM "
        + "abilities WHERE " + where + " ORDER BY ability_id COLLATE \"C\" LIMIT ?) ORDER BY ability_id COLLATE \"C\"",
        parameters);
  }

  /**
   * Runs the statement on {@code statement} (prepared from {@link #sql()} on {@code connection})
   * and returns the ids of the rows it read; every column is fetched as the driver gives it.
   */
  List<String> run(Connection connection, PreparedStatement statement) throws SQLException {
    int index = 1;
    for (Object parameter : parameters) {
      if (parameter instanceof String[] texts) {
        statement.setArray(index++, connection.createArrayOf("text", texts));
      } else {
        statement.setObject(index++, parameter);
      }
    }
    List<String> ids = new ArrayList<>();
    try (ResultSet row = statement.executeQuery()) {
      while (row.next()) {
        ids.add(row.getString(1));
        row.getString(2);
        row.getString(3);
        row.getString(4);
        row.getString(5);
        row.getString(6);
        row.getString(7);
        row.getObject(8, LocalDateTime.class);
        row.getObject(9, LocalDateTime.class);
      }
    }
    return ids;
  }
}
