package dev.abilitystore.server;

import static dev.abilitystore.server.BadInputTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.abilitystore.postgres.testing.PostgresDatabase;
import dev.abilitystore.postgres.testing.TcpProxy;
import dev.abilitystore.server.TestServer.Reply;
import dev.abilitystore.testing.Abilities;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /health}, {@code /ready}, {@code /metrics}, {@code /openapi.json} and request ids, over
 * a PostgreSQL that a TCP proxy can take away.
 */
class ProbeEndpointsTest {
  @RegisterExtension static final PostgresDatabase database = new PostgresDatabase();
  @TempDir static Path dataDirectory;
  private static TcpProxy proxy;
  private static TestServer server;

  @BeforeAll
  static void start() {
    proxy = TcpProxy.inFrontOf(database.config());
    server = TestServer.start(dataDirectory, proxy.proxied(database.config()), ServerConfig.defaults());
  }

  @AfterAll
  static void stop() {
    try {
      server.close();
    } finally {
      proxy.close();
    }
  }

  @Test
  void health_isUp() {
    Reply reply = server.get("/health");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("status").asText()).isEqualTo("up");
  }

  @Test
  void ready_bothStoresUp_is200WithEachStore() {
    Reply reply = server.get("/ready");

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    JsonNode json = reply.json();
    assertThat(json.get("status").asText()).isEqualTo("up");
    assertThat(json.get("primary").get("status").asText()).isEqualTo("up");
    assertThat(json.get("primary").get("name").asText()).isEqualTo("lucene");
    assertThat(json.get("secondary").get("status").asText()).isEqualTo("up");
    assertThat(json.get("secondary").get("detail").asText()).contains("PostgreSQL");
    assertThat(json.get("replication").get("depth").asLong()).isZero();
  }

  @Test
  void ready_postgresUnreachable_is503AndWritesAreQueued() {
    proxy.cut();
    try {
      Reply ready = server.get("/ready");
      Reply stored = server.post("/v1/abilities", TestServer.batch(List.of(Abilities.simple("queued-while-down",
          "outage", false, TestServer.DIMENSION))));
      Reply sync = server.post("/v1/sync", "{}");

      assertThat(ready.status()).as(ready.toString()).isEqualTo(503);
      assertThat(ready.json().get("status").asText()).isEqualTo("down");
      assertThat(ready.json().get("primary").get("status").asText()).isEqualTo("up");
      assertThat(ready.json().get("secondary").get("status").asText()).isEqualTo("down");
      assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
      assertThat(stored.json().get("results").get(0).get("secondary").asText()).isEqualTo("queued");
      assertProblem(sync, 503, "store-unavailable");
      assertThat(sync.headers().firstValue("Retry-After")).isPresent();
      assertThat(sync.body()).doesNotContain("127.0.0.1");
    } finally {
      proxy.restore();
    }
    await("ready again and the queue delivered", () -> server.get("/ready").status() == 200
        && server.store().replication().orElseThrow().depth() == 0);
    assertThat(server.store().secondary().get("queued-while-down")).isPresent();
  }

  @Test
  void metrics_afterCalls_holdTheRequestHistogramAndStoreGauges() {
    server.get("/health");
    server.get("/v1/abilities/absent-for-metrics");

    Reply reply = server.get("/metrics");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("text/plain");
    assertThat(reply.body())
        .contains("http_server_requests_seconds_bucket{")
        .containsPattern("http_server_requests_seconds_count\\{[^}]*method=\"GET\"[^}]*route=\"/health\""
            + "[^}]*status=\"200\"")
        .containsPattern("http_server_requests_seconds_bucket\\{[^}]*route=\"/v1/abilities/\\{ability_id}\""
            + "[^}]*status=\"404\"")
        .containsPattern("abilitystore_abilities\\{store=\"primary\"} \\d")
        .containsPattern("abilitystore_abilities\\{store=\"secondary\"} \\d")
        .contains("abilitystore_store_up{store=\"secondary\"}")
        .contains("abilitystore_replication_queue_depth")
        .contains("abilitystore_replication_queue_oldest_age_seconds")
        .contains("abilitystore_sync_last_repaired")
        .contains("abilitystore_sync_last_duration_seconds")
        .contains("abilitystore_search_degraded_total")
        .contains("jvm_memory_used_bytes");
  }

  @Test
  void metrics_unmatchedPaths_shareOneRoute() {
    server.get("/no/such/path/1");
    server.get("/no/such/path/2");

    String metrics = server.get("/metrics").body();

    assertThat(metrics).contains("route=\"unmatched\"").doesNotContain("/no/such/path");
  }

  @Test
  void openApi_isServedAsOpenApi31() {
    Reply reply = server.get("/openapi.json");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("application/json");
    assertThat(reply.json().get("openapi").asText()).isEqualTo("3.1.0");
  }

  @Test
  void requestId_isEchoedOrGenerated() {
    Reply echoed = server.send(server.request("/health").header("X-Request-Id", "trace-42.a"));
    Reply generated = server.get("/health");
    Reply replaced = server.send(server.request("/health").header("X-Request-Id", "bad id <script>"));

    assertThat(echoed.headers().firstValue("X-Request-Id")).hasValue("trace-42.a");
    assertThat(generated.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).hasSize(36));
    assertThat(replaced.headers().firstValue("X-Request-Id")).hasValueSatisfying(
        id -> assertThat(id).doesNotContain("<"));
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
