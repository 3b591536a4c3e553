package dev.abilitystore.postgres.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.postgres.PostgresConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class TcpProxyTest {
  /** Reads that wait longer than this count as a proxy that left the connection hanging. */
  private static final int HANG_MILLIS = 10_000;

  private ServerSocket echoServer;
  private ExecutorService echoThreads;
  private TcpProxy proxy;

  @BeforeEach
  void startEchoServerAndProxy() throws IOException {
    echoServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    echoThreads = Executors.newVirtualThreadPerTaskExecutor();
    echoThreads.execute(this::echoConnections);
    proxy = TcpProxy.start("127.0.0.1", echoServer.getLocalPort());
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    echoServer.close();
    echoThreads.shutdownNow();
    echoThreads.close();
  }

  private void echoConnections() {
    while (true) {
      Socket accepted;
      try {
        accepted = echoServer.accept();
      } catch (IOException e) {
        return;
      }
      echoThreads.execute(() -> {
        try (Socket connection = accepted) {
          connection.getInputStream().transferTo(connection.getOutputStream());
        } catch (IOException ignored) {
          // the test closed it
        }
      });
    }
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    socket.setSoTimeout(HANG_MILLIS);
    return socket;
  }

  private static String roundTrip(Socket socket, String text) throws IOException {
    byte[] sent = text.getBytes(UTF_8);
    socket.getOutputStream().write(sent);
    return new String(socket.getInputStream().readNBytes(sent.length), UTF_8);
  }

  /** Asserts that the connection ends (end of stream or reset) instead of hanging until the read times out. */
  private static void assertEnds(Socket socket) {
    try {
      InputStream in = socket.getInputStream();
      socket.getOutputStream().write(1);
      assertThat(in.read()).as("read after the cut").isEqualTo(-1);
    } catch (java.net.SocketTimeoutException hanging) {
      throw new AssertionError("the proxy left the connection hanging", hanging);
    } catch (IOException expected) {
      // reset: as good as the end of the stream
    }
  }

  @Test
  void forwardsBothWays() throws IOException {
    try (Socket first = connect(); Socket second = connect()) {
      assertThat(roundTrip(first, "hello")).isEqualTo("hello");
      assertThat(roundTrip(second, "x".repeat(200_000))).isEqualTo("x".repeat(200_000));
      assertThat(proxy.liveConnections()).isEqualTo(2);
    }
  }

  @Test
  void cut_endsLiveConnectionsAndFailsNewOnesAtOnce() throws IOException {
    try (Socket live = connect()) {
      assertThat(roundTrip(live, "before")).isEqualTo("before");

      proxy.cut();

      assertEnds(live);
      assertThat(proxy.liveConnections()).isZero();
    }
    for (int attempt = 0; attempt < 3; attempt++) {
      try (Socket refused = connect()) {
        assertEnds(refused);
      } catch (IOException refusedAtConnect) {
        // refused outright: what a stopped server does
      }
    }
  }

  @Test
  void restore_forwardsNewConnectionsAgain() throws IOException {
    proxy.cut();
    proxy.restore();
    try (Socket socket = connect()) {
      assertThat(roundTrip(socket, "again")).isEqualTo("again");
    }
  }

  @Test
  void setLatency_delaysEachChunkInBothDirections() throws IOException {
    proxy.setLatency(Duration.ofMillis(150));
    try (Socket socket = connect()) {
      long started = System.nanoTime();
      assertThat(roundTrip(socket, "slow")).isEqualTo("slow");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

      proxy.setLatency(Duration.ZERO);
      assertThat(roundTrip(socket, "fast")).isEqualTo("fast");
    }
    assertThatThrownBy(() -> proxy.setLatency(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void close_endsEveryConnectionAndThread() throws IOException {
    proxy.setLatency(Duration.ofSeconds(30));
    try (Socket idle = connect(); Socket sleeping = connect()) {
      sleeping.getOutputStream().write(1);
      assertThat(proxy.liveThreads()).isPositive();

      proxy.close();

      assertThat(proxy.liveThreads()).isZero();
      assertEnds(idle);
      assertThatThrownBy(this::connect).isInstanceOf(IOException.class);
    }
    proxy.close();
  }

  @Test
  void postgres_throughTheProxy_failsFastWhenCut() throws SQLException {
    proxy.close();
    PostgresConfig server = TestPostgres.server();
    proxy = TcpProxy.inFrontOf(server);
    PostgresConfig proxied = proxy.proxied(server);
    try (Connection connection = TestPostgres.connect(proxied); Statement statement = connection.createStatement()) {
      assertThat(statement.execute("SELECT 1")).isTrue();

      proxy.cut();

      assertThatThrownBy(() -> statement.execute("SELECT 1")).isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> TestPostgres.connect(proxied).close()).isInstanceOf(SQLException.class);
    }
    proxy.restore();
    try (Connection connection = TestPostgres.connect(proxied); Statement statement = connection.createStatement()) {
      assertThat(statement.execute("SELECT 1")).isTrue();
    }
  }
}
