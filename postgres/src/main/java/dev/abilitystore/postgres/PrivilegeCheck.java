package dev.abilitystore.postgres;

import dev.abilitystore.StoreUnavailableException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Checks, when the store opens, that its role may do everything the store will ask of it, so that
 * a role granted too little is refused at start-up with what it lacks and the {@code GRANT} that
 * fixes it, instead of failing one operation at a time later (a refused write would wait in the
 * replication queue forever). {@code docs/postgres-privileges.md} explains the list. Stateless.
 */
final class PrivilegeCheck {
  /** Table → privileges the running store uses on it. */
  static final Map<String, List<String>> RUNTIME_PRIVILEGES = runtimePrivileges();

  private PrivilegeCheck() {}

  private static Map<String, List<String>> runtimePrivileges() {
    Map<String, List<String>> privileges = new LinkedHashMap<>();
    privileges.put("abilities", List.of("SELECT", "INSERT", "UPDATE", "DELETE"));
    privileges.put("abilitystore_settings", List.of("SELECT", "INSERT", "UPDATE"));
    privileges.put("abilitystore_usage", List.of("SELECT", "INSERT", "UPDATE"));
    privileges.put("abilitystore_usage_totals", List.of("SELECT", "INSERT", "UPDATE"));
    privileges.put(SchemaMigrator.HISTORY_TABLE, List.of("SELECT"));
    return java.util.Collections.unmodifiableMap(privileges);
  }

  /**
   * Before migrating: the role has a schema to work in (its search path names one it may use) and,
   * when the migration history exists, may read it (Flyway reads it on every start).
   *
   * @throws StoreUnavailableException naming what is missing, or if the server cannot be asked
   */
  static void beforeMigrating(DataSource dataSource, PostgresConfig config) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement("""
            SELECT current_user, current_schema(), current_setting('search_path'),
                to_regclass(?) IS NOT NULL AND NOT has_table_privilege(to_regclass(?), 'SELECT')
            """)) {
      statement.setString(1, SchemaMigrator.HISTORY_TABLE);
      statement.setString(2, SchemaMigrator.HISTORY_TABLE);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        String role = row.getString(1);
        @Nullable String schema = row.getString(2);
        if (schema == null) {
          throw new StoreUnavailableException("[DB] role '" + role + "' at " + config.location() + " may use no "
              + "schema of its search_path (" + row.getString(3) + "): the store needs USAGE on schema public (or the "
              + "schema it works in): GRANT USAGE ON SCHEMA public TO " + role
              + " (see docs/postgres-privileges.md)");
        }
        if (row.getBoolean(4)) {
          throw new StoreUnavailableException("[DB] role '" + role + "' at " + config.location() + " may not read "
              + "the migration history, which is checked on every start: GRANT SELECT ON "
              + SchemaMigrator.HISTORY_TABLE + " TO " + role + " (see docs/postgres-privileges.md)");
        }
      }
    } catch (SQLException e) {
      // The first connection of a start: say what the driver said (a refused login, a missing database), as Flyway's
      // failure would have.
      throw new StoreUnavailableException("[DB] cannot migrate PostgreSQL at " + config.location() + ": "
          + SqlFailures.reason(e) + " (is the server running, does the database exist, may the user log in?)", e);
    }
  }

  /**
   * After migrating: the role holds every privilege of {@link #RUNTIME_PRIVILEGES}.
   *
   * @throws StoreUnavailableException listing every missing privilege with the {@code GRANT}s
   *     that add them, or if the server cannot be asked
   */
  static void afterMigrating(DataSource dataSource, PostgresConfig config) {
    List<String> tables = new ArrayList<>();
    List<String> privileges = new ArrayList<>();
    RUNTIME_PRIVILEGES.forEach((table, needed) -> needed.forEach(privilege -> {
      tables.add(table);
      privileges.add(privilege);
    }));
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement("""
            SELECT current_user, r.t, r.p
            FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS r(t, p, n)
            WHERE to_regclass(r.t) IS NULL OR NOT has_table_privilege(to_regclass(r.t), r.p)
            ORDER BY r.n
            """)) {
      Array tableArray = connection.createArrayOf("text", tables.toArray());
      Array privilegeArray = connection.createArrayOf("text", privileges.toArray());
      statement.setArray(1, tableArray);
      statement.setArray(2, privilegeArray);
      String role = null;
      Map<String, List<String>> missing = new LinkedHashMap<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          role = rows.getString(1);
          missing.computeIfAbsent(rows.getString(2), table -> new ArrayList<>()).add(rows.getString(3));
        }
      }
      if (role != null) {
        throw missing(role, config, missing);
      }
    } catch (SQLException e) {
      throw SqlFailures.translate("check privileges", config.location(), e);
    }
  }

  private static StoreUnavailableException missing(String role, PostgresConfig config,
      Map<String, List<String>> missing) {
    List<String> lacks = new ArrayList<>();
    List<String> grants = new ArrayList<>();
    missing.forEach((table, privileges) -> {
      privileges.forEach(privilege -> lacks.add(privilege + " on " + table));
      grants.add("GRANT " + String.join(", ", privileges) + " ON " + table + " TO " + role);
    });
    return new StoreUnavailableException("[DB] role '" + role + "' at " + config.location() + " lacks privileges "
        + "the store needs: " + String.join(", ", lacks) + "; as the tables' owner run: " + String.join("; ", grants)
        + " (see docs/postgres-privileges.md)");
  }
}
