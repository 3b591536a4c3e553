package dev.abilitystore.postgres;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.port.Health;
import dev.abilitystore.postgres.testing.PostgresDatabase;
import dev.abilitystore.postgres.testing.TestPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The libpq parameters of {@code DATABASE_URL} against a real server: each one that changes how
 * the connection is made is shown to take effect (or to fail the way it must), not only to parse.
 * TLS with a server that has it is {@link TlsTest}'s.
 */
@Timeout(120)
class TransportTest {
  @RegisterExtension
  static final PostgresDatabase database = new PostgresDatabase();

  /** This class's database as a libpq URL with {@code parameters}, as a deployment writes it. */
  private static String url(String parameters) {
    PostgresConfig config = database.config();
    String credentials = config.user() == null ? "" : encode(config.user())
        + (config.password() == null ? "" : ":" + encode(config.password())) + "@";
    return "postgresql://" + credentials + String.join(",", config.hosts()) + "/" + config.database()
        + (parameters.isEmpty() ? "" : "?" + parameters);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, UTF_8).replace("+", "%20");
  }

  private static PostgresConfig config(String parameters) {
    return DatabaseUrl.parse(url(parameters)).connectionTimeout(Duration.ofSeconds(3)).maximumPoolSize(2).build();
  }

  private static String queryText(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getString(1);
    }
  }

  private static boolean serverHasSsl() throws SQLException {
    try (Connection connection = TestPostgres.connect(database.config())) {
      return queryText(connection, "SHOW ssl").equals("on");
    }
  }

  private static String uniqueName(String prefix) {
    return prefix + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }

  @Test
  void sslmodeDisable_connectsWithoutTls_andApplicationNameShowsInPgStatActivity() {
    String name = uniqueName("abilitystore transport ");
    try (PostgresRecordStore store = PostgresRecordStore.open(config("sslmode=disable&application_name="
        + encode(name)))) {
      assertThat(store.health().status()).isEqualTo(Health.Status.UP);
      String backends = "SELECT count(*) FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) "
          + "WHERE a.application_name = '" + name + "'";
      assertThat(TestPostgres.queryLong(TestPostgres.server(), backends)).as("the store's connections").isPositive();
      assertThat(TestPostgres.queryLong(TestPostgres.server(), backends + " AND s.ssl")).as("over TLS").isZero();
    }
  }

  @Test
  void fallbackApplicationName_isUsedWithoutAnApplicationName() throws SQLException {
    String name = uniqueName("fallback-");
    PostgresConfig config = config("fallback_application_name=" + name);
    try (Connection connection = TestPostgres.connect(config)) {
      assertThat(queryText(connection, "SHOW application_name")).isEqualTo(name);
    }
  }

  @Test
  void sslmodeRequire_againstAServerWithoutTls_failsSayingSo() throws SQLException {
    Assumptions.assumeFalse(serverHasSsl(), "the test server has TLS on: TlsTest covers it");
    assertThatThrownBy(() -> TestPostgres.connect(config("sslmode=require")))
        .isInstanceOf(SQLException.class).hasMessageContaining("The server does not support SSL")
        .extracting(failure -> ((SQLException) failure).getSQLState()).isEqualTo("08004");
    assertThatThrownBy(() -> PostgresRecordStore.open(config("sslmode=require").toBuilder()
        .startWhileDown(true).build()))
        .as("a server that answers without TLS is no server that is down: refused even when starting while down")
        .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("The server does not support SSL");
  }

  @Test
  void channelBindingRequire_withoutTls_fails() throws SQLException {
    Assumptions.assumeFalse(serverHasSsl(), "channel binding needs TLS and SCRAM");
    assertThatThrownBy(() -> TestPostgres.connect(config("channel_binding=require")))
        .isInstanceOf(SQLException.class).hasMessageContaining("hannel binding");
  }

  @Test
  void requireAuth_isEnforced_exactlyOneOfNoneAndNotNoneConnects() {
    List<String> connected = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (String methods : List.of("none", "!none")) {
      try (Connection ignored = TestPostgres.connect(config("require_auth=" + encode(methods)))) {
        connected.add(methods);
      } catch (SQLException e) {
        refused.add(methods + ": " + e.getMessage());
      }
    }
    assertThat(connected).as("require_auth=none and require_auth=!none: one of them must be refused, %s",
        refused).hasSize(1);
    assertThat(refused).singleElement().asString().containsIgnoringCase("auth");
  }

  @Test
  void options_setSessionParameters() throws SQLException {
    try (Connection connection = TestPostgres.connect(config("options=" + encode("-c search_path=transport_test,public "
        + "-c statement_timeout=4321")))) {
      assertThat(queryText(connection, "SHOW search_path")).isEqualTo("transport_test,public");
      assertThat(queryText(connection, "SHOW statement_timeout")).isEqualTo("4321ms");
    }
  }

  @Test
  void targetSessionAttrs_readOnly_refusesAPrimary_readWriteTakesIt() throws SQLException {
    try (Connection connection = TestPostgres.connect(config("target_session_attrs=read-write"))) {
      assertThat(queryText(connection, "SELECT pg_is_in_recovery()")).isEqualTo("f");
    }
    assertThatThrownBy(() -> TestPostgres.connect(config("target_session_attrs=read-only")))
        .isInstanceOf(SQLException.class).hasMessageContaining("targetServerType");
  }

  @Test
  void hostList_triesTheNextHostWhenTheFirstRefuses() throws IOException, SQLException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    PostgresConfig real = database.config();
    PostgresConfig config = DatabaseUrl.parse(url("").replace(String.join(",", real.hosts()),
        "127.0.0.1:" + closedPort + "," + String.join(",", real.hosts())) + "?connect_timeout=2").build();
    assertThat(config.hosts()).hasSize(2);
    try (Connection connection = TestPostgres.connect(config)) {
      assertThat(queryText(connection, "SELECT 1")).isEqualTo("1");
    }
  }

  @Test
  void connectTimeout_serverThatNeverCompletesTheTcpHandshake_failsWithAConnectTimeout() throws IOException {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<Socket> queued = fillBacklog(listener);
      try {
        PostgresConfig config = DatabaseUrl.parse("postgresql://probe@127.0.0.1:" + listener.getLocalPort()
            + "/db?connect_timeout=2").build();
        assertThatThrownBy(() -> TestPostgres.connect(config)).isInstanceOf(SQLException.class)
            .satisfies(failure -> assertThat(((SQLException) failure).getSQLState()).isEqualTo("08001"))
            .satisfies(TransportTest::saysTimedOut);
      } finally {
        for (Socket socket : queued) {
          socket.close();
        }
      }
    }
  }

  @Test
  void connectTimeout_serverThatAcceptsButNeverAnswers_isGivenUp() throws IOException {
    // closed in reverse order: the listener first, which ends the acceptor's task
    try (ExecutorService acceptor = Executors.newVirtualThreadPerTaskExecutor();
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
      acceptor.execute(() -> {
        try {
          while (!listener.isClosed()) {
            accepted.add(listener.accept());
          }
        } catch (IOException closed) {
          // the test is over
        }
      });
      String url = "postgresql://probe@127.0.0.1:" + listener.getLocalPort() + "/db?connect_timeout=2";
      assertThatThrownBy(() -> TestPostgres.connect(DatabaseUrl.parse(url).build()))
          .isInstanceOf(SQLException.class).hasMessageContaining("Connection attempt timed out")
          .satisfies(failure -> assertThat(((SQLException) failure).getSQLState()).isEqualTo("08001"));
      assertThatThrownBy(() -> PostgresRecordStore.open(DatabaseUrl.parse(url).connectionTimeout(Duration.ofSeconds(3))
          .build())).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("timed out");
      listener.close();
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }

  /**
   * Asserts that connecting timed out: pgJDBC's "Connection attempt timed out" (connect_timeout
   * as its login timeout, which may fire first) or a {@link SocketTimeoutException} beneath (as its
   * connect timeout).
   */
  private static void saysTimedOut(Throwable failure) {
    List<String> chain = new ArrayList<>();
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      chain.add(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
    assertThat(chain).as("the failure and its causes").anySatisfy(link -> assertThat(link)
        .containsAnyOf("Connection attempt timed out", "SocketTimeoutException"));
  }

  /** Connects until the listener's accept queue is full, so that the next SYN is dropped. */
  private static List<Socket> fillBacklog(ServerSocket listener) throws IOException {
    List<Socket> queued = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      Socket socket = new Socket();
      try {
        socket.connect(new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort()), 300);
        queued.add(socket);
      } catch (SocketTimeoutException full) {
        socket.close();
        return queued;
      }
    }
    for (Socket socket : queued) {
      socket.close();
    }
    Assumptions.abort("the kernel kept accepting connections beyond the backlog: no way to make a connect hang");
    return queued;
  }
}
