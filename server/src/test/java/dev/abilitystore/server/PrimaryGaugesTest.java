package dev.abilitystore.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.AbilityStore;
import dev.abilitystore.embed.HashingEmbedder;
import dev.abilitystore.lucene.LuceneConfig;
import dev.abilitystore.lucene.LuceneVectorIndex;
import dev.abilitystore.port.VectorIndex;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The primary's own gauges, such as a remote index's circuit breaker state, reach {@code /metrics}. */
class PrimaryGaugesTest {
  @TempDir Path dataDirectory;

  @Test
  void metrics_showThePrimarysOwnGauges() throws Exception {
    HashingEmbedder embedder = new HashingEmbedder(16);
    VectorIndex lucene = LuceneVectorIndex.open(LuceneConfig.builder(dataDirectory.resolve("index"), 16).build());
    VectorIndex withBreaker = (VectorIndex) Proxy.newProxyInstance(VectorIndex.class.getClassLoader(),
        new Class<?>[] {VectorIndex.class}, (proxy, method, arguments) -> {
          if (method.getName().equals("gauges")) {
            return Map.of("circuit_breaker_state", 2.0);
          }
          try {
            return method.invoke(lucene, arguments);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    try (AbilityStore store = AbilityStore.builder().primary(withBreaker).embedder(embedder)
            .dataDirectory(dataDirectory).build();
        ApiServer server = ApiServer.start(store, ServerConfig.defaults().withPort(0))) {
      String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.uri() + "/metrics"))
          .build(), HttpResponse.BodyHandlers.ofString()).body();

      assertThat(metrics).contains("abilitystore_primary_circuit_breaker_state{index=\"lucene\"} 2.0");
    }
  }
}
