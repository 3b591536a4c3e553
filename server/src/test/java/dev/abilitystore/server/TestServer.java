package dev.abilitystore.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.abilitystore.Ability;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.embed.HashingEmbedder;
import dev.abilitystore.fuzz.TestStores;
import dev.abilitystore.json.AbilityJson;
import dev.abilitystore.lucene.LuceneConfig;
import dev.abilitystore.lucene.LuceneVectorIndex;
import dev.abilitystore.port.VectorIndex;
import dev.abilitystore.postgres.PostgresConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * An {@link ApiServer} on port 0 over a real store (Lucene in a temporary directory, PostgreSQL
 * when given, the {@link HashingEmbedder}), and a {@link HttpClient} that calls it.
 */
final class TestServer implements AutoCloseable {
  static final int DIMENSION = 32;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AbilityStore store;
  private final ApiServer server;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private @Nullable String apiKey;

  private TestServer(AbilityStore store, ServerConfig config) {
    this.store = store;
    try {
      this.server = ApiServer.start(store, config.withPort(0));
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** Serves a store over Lucene in {@code dataDirectory} and PostgreSQL at {@code postgres}. */
  static TestServer start(Path dataDirectory, PostgresConfig postgres, ServerConfig config) {
    return new TestServer(TestStores.luceneAndPostgres(dataDirectory, postgres, DIMENSION).builder().build(), config);
  }


  /** Serves a store over Lucene alone. */
  static TestServer startWithoutPostgres(Path dataDirectory, ServerConfig config) {
    HashingEmbedder embedder = new HashingEmbedder(DIMENSION);
    return new TestServer(AbilityStore.builder().primary(index(dataDirectory, embedder)).embedder(embedder)
        .dataDirectory(dataDirectory).build(), config);
  }

  private static VectorIndex index(Path dataDirectory, HashingEmbedder embedder) {
    return LuceneVectorIndex.open(LuceneConfig.builder(dataDirectory.resolve("index"), DIMENSION)
        .embedderModel(embedder.model()).build());
  }

  AbilityStore store() {
    return store;
  }

  ApiServer server() {
    return server;
  }

  /** Sends {@code Authorization: Bearer <key>} with every later request; null for none. */
  TestServer withKey(@Nullable String key) {
    this.apiKey = key;
    return this;
  }

  Reply get(String path) {
    return send(request(path).GET());
  }

  Reply delete(String path) {
    return send(request(path).DELETE());
  }

  Reply post(String path, String json) {
    return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  HttpRequest.Builder request(String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(30));
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    return request;
  }

  Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Returns the abilities as {@code {"abilities": [...]}}, with their embeddings. */
  static String batch(List<Ability> abilities) {
    return abilities.stream().map(ability -> AbilityJson.toJson(ability, true))
        .collect(Collectors.joining(",", "{\"abilities\":[", "]}"));
  }

  @Override
  public void close() {
    try {
      server.close();
    } finally {
      store.close();
    }
  }

  /** An answer of the server. */
  record Reply(int status, HttpHeaders headers, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    String contentType() {
      return headers.firstValue("Content-Type").orElse("");
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }
}
