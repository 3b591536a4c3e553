package dev.abilitystore.bench;

import dev.abilitystore.AbilityQuery;
import dev.abilitystore.postgres.QueryStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The statement {@code PostgresRecordStore.query} sends for an {@link AbilityQuery}
 * ({@link QueryStatement}), run over plain JDBC as the raw baseline: same text, same parameters;
 * the rows are read with {@link ResultSet} getters only, nothing parsed.
 *
 * @param statement the store's statement and parameters
 */
record RawQuerySql(QueryStatement statement) {
  static RawQuerySql of(AbilityQuery query) {
    return new RawQuerySql(QueryStatement.of(query));
  }

  String sql() {
    return statement.sql();
  }

  /**
   * Runs the statement on {@code statement} (prepared from {@link #sql()} on {@code connection})
   * and returns the ids of the rows it read; every column is fetched as the driver gives it.
   */
  List<String> run(Connection connection, PreparedStatement statement) throws SQLException {
    this.statement.bind(connection, statement);
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
