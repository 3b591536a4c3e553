package dev.abilitystore.integration;

import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.infraxa.IdSource;
import dev.abilitystore.postgres.PostgresConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@link IdSource} the application gives Infraxa: PostgreSQL's {@code abilities.ability_id}, in
 * code-point order ({@code COLLATE "C"} compares UTF-8 bytes, which orders like code points). One
 * connection per call: it is only walked by scans, queries and counts.
 */
final class PostgresIds implements IdSource {
  private static final String SQL = "SELECT ability_id FROM abilities WHERE ability_id COLLATE \"C\" > ?"
      + " ORDER BY ability_id COLLATE \"C\" LIMIT ?";

  private final PostgresConfig postgres;

  PostgresIds(PostgresConfig postgres) {
    this.postgres = postgres;
  }

  @Override
  public List<String> idsAfter(@Nullable String afterAbilityId, int limit) {
    try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.driverProperties());
        PreparedStatement statement = connection.prepareStatement(SQL)) {
      statement.setString(1, afterAbilityId == null ? "" : afterAbilityId);
      statement.setInt(2, limit);
      List<String> ids = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          ids.add(rows.getString(1));
        }
      }
      return ids;
    } catch (SQLException e) {
      throw new StoreUnavailableException("[PostgreSQL] cannot list ability ids for Infraxa (test): " + e.getMessage(),
          e);
    }
  }
}
