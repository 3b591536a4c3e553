package dev.abilitystore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.StoreRefusedException;
import dev.abilitystore.StoreUnavailableException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class SqlFailuresTest {
  /** What HikariCP throws when no connection came in time: its timeout around the last attempt's failure. */
  private static SQLTransientConnectionException poolTimeout(SQLException lastAttempt) {
    return new SQLTransientConnectionException("pool - Connection is not available, request timed out after 1000ms",
        lastAttempt.getSQLState(), lastAttempt);
  }

  /** What a failed migration throws: the store's exception around Flyway's around the pool's. */
  private static RuntimeException migrationFailure(SQLException sql) {
    return new StoreUnavailableException("[DB] cannot migrate", new RuntimeException("Unable to obtain connection",
        poolTimeout(sql)));
  }

  @Test
  void isServerUnreachable_refusedOrFailedConnection_isTrue() {
    SQLException refused = new SQLException("Connection to 127.0.0.1:5432 refused", "08001",
        new ConnectException("Connection refused"));
    assertThat(SqlFailures.isServerUnreachable(migrationFailure(refused))).isTrue();
    assertThat(SqlFailures.isServerUnreachable(new SQLException("I/O error", "08006"))).isTrue();
    assertThat(SqlFailures.isServerUnreachable(new SQLException("the database system is starting up", "57P03")))
        .isTrue();
  }

  @Test
  void isServerUnreachable_poolTimeoutWithNothingBeneath_isTrue() {
    assertThat(SqlFailures.isServerUnreachable(new SQLTransientConnectionException("request timed out"))).isTrue();
  }

  @Test
  void isServerUnreachable_serverThatAnsweredNo_isFalse() {
    assertThat(SqlFailures.isServerUnreachable(migrationFailure(
        new SQLException("password authentication failed for user \"x\"", "28P01")))).isFalse();
    assertThat(SqlFailures.isServerUnreachable(migrationFailure(
        new SQLException("database \"x\" does not exist", "3D000")))).isFalse();
    assertThat(SqlFailures.isServerUnreachable(migrationFailure(
        new SQLException("The server does not support SSL.", "08004")))).isFalse();
    assertThat(SqlFailures.isServerUnreachable(new SQLException("syntax error", "42601"))).isFalse();
    assertThat(SqlFailures.isServerUnreachable(new RuntimeException("no SQL at all"))).isFalse();
  }

  @Test
  void reason_isWhatTheDriverSaid() {
    SQLException refused = new SQLException("Connection to 127.0.0.1:5432 refused", "08001",
        new ConnectException("Connection refused"));
    assertThat(SqlFailures.reason(migrationFailure(refused))).isEqualTo("Connection to 127.0.0.1:5432 refused");
    assertThat(SqlFailures.reason(new RuntimeException("plain"))).isEqualTo("plain");
  }

  @Test
  void translate_statementRefusedForWhatItIs_isARefusalThatRetryingCannotCure() {
    for (String state : new String[] {"22003", "22P05", "23505", "23514", "42501", "42P01", "44000", "54000"}) {
      assertThat(SqlFailures.translate("upsert", "db:5432/x", new SQLException("no", state)))
          .as(state).isInstanceOf(StoreRefusedException.class).hasMessageContaining(state);
    }
    assertThat(SqlFailures.translate("upsert", "db:5432/x", new SQLException("permission denied", "42501")))
        .hasMessageContaining("docs/postgres-privileges.md");
  }

  @Test
  void translate_outageOrUnknownFailure_isNoRefusal() {
    for (String state : new String[] {"08006", "57P01", "57014", "40001", "53300", "XX000"}) {
      assertThat(SqlFailures.translate("upsert", "db:5432/x", new SQLException("no", state)))
          .as(state).isNotInstanceOf(StoreRefusedException.class);
    }
    assertThat(SqlFailures.translate("upsert", "db:5432/x", new SQLException("no state")))
        .isNotInstanceOf(StoreRefusedException.class);
  }
}
