package dev.abilitystore.postgres;

import dev.abilitystore.StoreUnavailableException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Creates the configured database when it does not exist yet, through the {@code postgres} maintenance database. */
public final class DatabaseBootstrap {
  private DatabaseBootstrap() {}

  /**
   * Creates the database of {@code config} unless it exists; returns true when it created it.
   *
   * @throws StoreUnavailableException if the server cannot be reached or refuses
   */
  public static boolean createDatabaseIfMissing(PostgresConfig config) {
    PostgresConfig maintenance = config.toBuilder().database("postgres").build();
    try (Connection connection = DriverManager.getConnection(maintenance.jdbcUrl(), maintenance.driverProperties())) {
      try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        exists.setString(1, config.database());
        try (ResultSet row = exists.executeQuery()) {
          if (row.next()) {
            return false;
          }
        }
      }
      try (Statement create = connection.createStatement()) {
        create.execute("CREATE DATABASE " + quoteIdentifier(config.database()));
      }
      return true;
    } catch (SQLException e) {
      if ("42P04".equals(e.getSQLState())) {
        return false;
      }
      throw new StoreUnavailableException("[DB] cannot create database '" + config.database() + "' on "
          + String.join(",", config.hosts()) + ": " + e.getMessage(), e);
    }
  }

  static String quoteIdentifier(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
