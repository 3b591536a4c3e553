package dev.abilitystore.postgres;

import dev.abilitystore.AbilityStoreException;
import dev.abilitystore.StoreUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Tells connection failures from other SQL errors and turns both into the store's exceptions. */
final class SqlFailures {
  /** SQLSTATEs of a server that went away: admin shutdown, crash shutdown, cannot connect now. */
  private static final Set<String> SERVER_GONE = Set.of("57P01", "57P02", "57P03");
  private static final String QUERY_CANCELED = "57014";

  private SqlFailures() {}

  /** True when the connection, not the statement, failed: trying again on a new one may work. */
  static boolean isConnectionFailure(SQLException failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLTransientConnectionException) {
        return true;
      }
      if (cause instanceof SQLException sql) {
        String state = sql.getSQLState();
        if (state != null && (state.startsWith("08") || SERVER_GONE.contains(state))) {
          return true;
        }
      }
    }
    return false;
  }

  static AbilityStoreException translate(String operation, String location, SQLException failure) {
    String detail = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    if (isConnectionFailure(failure)) {
      return new StoreUnavailableException("[DB] PostgreSQL at " + location + " is unavailable during " + operation
          + ": " + detail + " (is the server running and DATABASE_URL right?)", failure);
    }
    if (QUERY_CANCELED.equals(failure.getSQLState())) {
      return new StoreUnavailableException("[DB] PostgreSQL at " + location + " did not finish " + operation
          + " within the statement timeout (ABILITYSTORE_PG_STATEMENT_TIMEOUT)", failure);
    }
    return new AbilityStoreException("[DB] " + operation + " failed at " + location + ": " + detail
        + sqlState(failure), failure);
  }

  private static String sqlState(SQLException failure) {
    @Nullable String state = failure.getSQLState();
    return state == null ? "" : " (SQLSTATE " + state + ")";
  }
}
