package dev.abilitystore.postgres;

import dev.abilitystore.AbilityStoreException;
import dev.abilitystore.StoreRefusedException;
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
  /**
   * Connection-exception SQLSTATEs that mean the server was reached and said no: pgjdbc's
   * "connection rejected" (no SSL on the server, a password the server wants but was not given)
   * and a protocol violation.
   */
  private static final Set<String> SERVER_ANSWERED = Set.of("08004", "08P01");
  /**
   * SQLSTATE classes of a statement the server refused for what it is, so that sending it again
   * gets the same answer until someone acts: data exceptions (22), integrity constraints (23),
   * syntax and access rules (42, including 42501, a missing privilege), check options (44) and
   * program limits (54, e.g. a row too large for an index).
   */
  private static final Set<String> REFUSED_CLASSES = Set.of("22", "23", "42", "44", "54");
  private static final String INSUFFICIENT_PRIVILEGE = "42501";

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

  /**
   * True when the server could not be reached at all: the innermost SQL failure is a connection
   * failure, or a pool timeout with nothing beneath it. Unlike {@link #isConnectionFailure}, this
   * looks past the pool's "request timed out" wrapper to what the server said, so that a refused
   * login or a missing database, which the pool also reports as a timeout, is not mistaken for a
   * server that is down.
   */
  static boolean isServerUnreachable(Throwable failure) {
    @Nullable SQLException innermost = innermostSqlFailure(failure);
    if (innermost == null) {
      return false;
    }
    if (innermost instanceof SQLTransientConnectionException) {
      return true;
    }
    String state = innermost.getSQLState();
    if (state == null) {
      return false;
    }
    return SERVER_GONE.contains(state) || (state.startsWith("08") && !SERVER_ANSWERED.contains(state));
  }

  /** Returns what the driver said went wrong, for messages: the innermost SQL failure's message. */
  static String reason(Throwable failure) {
    @Nullable Throwable described = innermostSqlFailure(failure);
    if (described == null) {
      described = failure;
    }
    String message = described.getMessage();
    return message == null ? described.getClass().getSimpleName() : message;
  }

  /** Returns the innermost {@link SQLException} among the causes of {@code failure}, if any. */
  private static @Nullable SQLException innermostSqlFailure(Throwable failure) {
    @Nullable SQLException innermost = null;
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql) {
        innermost = sql;
      }
    }
    return innermost;
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
    @Nullable String state = failure.getSQLState();
    if (INSUFFICIENT_PRIVILEGE.equals(state)) {
      return new StoreRefusedException("[DB] PostgreSQL at " + location + " refused " + operation + ": " + detail
          + " (SQLSTATE 42501): grant the runtime role the privileges listed in docs/postgres-privileges.md", failure);
    }
    if (state != null && state.length() == 5 && REFUSED_CLASSES.contains(state.substring(0, 2))) {
      return new StoreRefusedException("[DB] PostgreSQL at " + location + " refused " + operation + ": " + detail
          + sqlState(failure), failure);
    }
    return new AbilityStoreException("[DB] " + operation + " failed at " + location + ": " + detail
        + sqlState(failure), failure);
  }

  private static String sqlState(SQLException failure) {
    @Nullable String state = failure.getSQLState();
    return state == null ? "" : " (SQLSTATE " + state + ")";
  }
}
