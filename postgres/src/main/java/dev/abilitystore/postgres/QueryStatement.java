package dev.abilitystore.postgres;

import dev.abilitystore.AbilityQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The statement {@link PostgresRecordStore#query} sends for an {@link AbilityQuery}, with its
 * parameters (the page size plus one last): public so that a benchmark can run the very same SQL
 * over plain JDBC beside the store.
 *
 * @param sql the statement, with placeholders
 * @param parameters its parameters in order; a {@code String[]} is a text array
 */
public record QueryStatement(String sql, List<Object> parameters) {
  public QueryStatement {
    parameters = java.util.Collections.unmodifiableList(new ArrayList<>(parameters));
  }

  /** Returns the statement of {@code query}. */
  public static QueryStatement of(AbilityQuery query) {
    FilterSql where = FilterSql.of(query.filter(), query.afterAbilityId());
    List<Object> parameters = new ArrayList<>(where.parameters());
    parameters.add(query.limit() + 1);
    return new QueryStatement(PostgresRecordStore.pageSql(where), parameters);
  }

  /** Binds the parameters to {@code statement}, prepared from {@link #sql()} on {@code connection}. */
  public void bind(Connection connection, PreparedStatement statement) throws SQLException {
    bind(connection, statement, parameters);
  }

  /** Binds {@code parameters} from the first placeholder on; returns the index of the next one. */
  static int bind(Connection connection, PreparedStatement statement, List<Object> parameters) throws SQLException {
    int index = 1;
    for (Object parameter : parameters) {
      if (parameter instanceof String[] texts) {
        statement.setArray(index++, connection.createArrayOf("text", texts));
      } else {
        statement.setObject(index++, parameter);
      }
    }
    return index;
  }
}
