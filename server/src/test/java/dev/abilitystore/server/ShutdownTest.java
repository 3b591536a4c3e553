package dev.abilitystore.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.postgres.testing.PostgresDatabase;
import dev.abilitystore.postgres.testing.TcpProxy;
import dev.abilitystore.testing.Abilities;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Closing the server lets a request in progress finish before the store is closed. */
class ShutdownTest {
  @RegisterExtension static final PostgresDatabase database = new PostgresDatabase();
  @TempDir Path dataDirectory;

  @Test
  void close_duringASlowWrite_answersItBeforeStopping() throws Exception {
    try (TcpProxy proxy = TcpProxy.inFrontOf(database.config())) {
      TestServer server = TestServer.start(dataDirectory, proxy.proxied(database.config()), ServerConfig.defaults());
      CompletableFuture<HttpResponse<String>> write;
      try {
        proxy.setLatency(Duration.ofMillis(300));
        write = HttpClient.newHttpClient().sendAsync(server.request("/v1/abilities")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(TestServer.batch(List.of(
                Abilities.simple("in-flight", "shutdown", false, TestServer.DIMENSION))))).build(),
            HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.store().primary().get("in-flight").isEmpty()) {
          assertThat(System.nanoTime()).as("the write reaches the index").isLessThan(deadline);
          Thread.onSpinWait();
        }
        assertThat(write).isNotDone();
      } finally {
        server.close();
      }

      assertThat(write.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
  }
}
