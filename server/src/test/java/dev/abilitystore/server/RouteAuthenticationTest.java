package dev.abilitystore.server;

import static dev.abilitystore.server.BadInputTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.abilitystore.fuzz.StoreFingerprint;
import dev.abilitystore.server.TestServer.Reply;
import dev.abilitystore.testing.Abilities;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 9, auth: every operation of {@code /openapi.json} under {@code /v1} is covered by the API
 * key rule (401 without a key, 403 with a wrong one, neither with a right one), open reads let
 * exactly the reads in, the document's security declarations say the same, and no key ever
 * reaches the logs, wherever a caller puts it.
 */
class RouteAuthenticationTest {
  private static final String KEY = "route-key-7c1e5a90d2";
  private static final String OTHER_KEY = "route-key-2-b44f0e";
  private static final String WRONG_KEY = "wrong-key-93ad1f6c";
  private static final List<String> SECRETS = List.of(KEY, OTHER_KEY, WRONG_KEY);

  @TempDir Path dataDirectory;

  /** One documented operation, made callable: its path with parameters filled in and a body. */
  private record Operation(String method, String template, String path, @Nullable String body, boolean secured) {
    boolean isRead() {
      return method.equals("GET") || method.equals("HEAD") || (method.equals("POST") && template.equals("/v1/search"));
    }

    @Override
    public String toString() {
      return method + " " + template;
    }
  }

  @Test
  void everyV1Operation_needsAKey_refusesAWrongOne_andTakesARightOne() {
    try (TestServer server = TestServer.startWithoutPostgres(dataDirectory,
        ServerConfig.defaults().withApiKeys(List.of(KEY, OTHER_KEY)))) {
      List<Operation> operations = operations(server.withKey(null).get("/openapi.json").json());

      assertThat(operations.stream().filter(operation -> operation.path().startsWith("/v1/")).count())
          .as("operations under /v1").isGreaterThanOrEqualTo(8);
      for (Operation operation : operations) {
        if (!operation.path().startsWith("/v1/")) {
          assertThat(call(server.withKey(null), operation).status()).as("%s is open", operation).isEqualTo(200);
          continue;
        }
        StoreFingerprint before = StoreFingerprint.of(server.store());
        Reply none = call(server.withKey(null), operation);
        assertProblem(none, 401, "unauthorized");
        assertThat(none.headers().firstValue("WWW-Authenticate")).as("%s challenge", operation)
            .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer"));
        for (String wrong : List.of(WRONG_KEY, KEY + "x", KEY.substring(1), KEY.toUpperCase(Locale.ROOT))) {
          assertProblem(call(server.withKey(wrong), operation), 403, "forbidden");
        }
        assertThat(StoreFingerprint.of(server.store()).differenceFrom(before)).as("%s without a right key changed "
            + "nothing", operation).isEmpty();
        for (String right : List.of(KEY, OTHER_KEY)) {
          Reply reply = call(server.withKey(right), operation);
          assertThat(reply.status()).as("%s with a right key: %s", operation, reply).isNotIn(401, 403)
              .isLessThan(500);
        }
      }
    }
  }

  @Test
  void keysAnywhereButAuthorization_areNoKeys() {
    try (TestServer server = TestServer.startWithoutPostgres(dataDirectory,
        ServerConfig.defaults().withApiKeys(List.of(KEY)))) {
      server.withKey(null);
      List<HttpRequest.Builder> elsewhere = List.of(
          server.request("/v1/stats").header("X-API-Key", KEY),
          server.request("/v1/stats").header("Api-Key", KEY),
          server.request("/v1/stats").header("Cookie", "api_key=" + KEY),
          server.request("/v1/stats?api_key=" + KEY),
          server.request("/v1/stats?access_token=" + KEY),
          server.request("/v1/stats").header("Authorization", KEY),
          server.request("/v1/stats").header("Authorization", "Basic " + java.util.Base64.getEncoder()
              .encodeToString((KEY + ":").getBytes(StandardCharsets.UTF_8))),
          server.request("/v1/stats").header("Authorization", "Token " + KEY),
          server.request("/v1/stats").header("Proxy-Authorization", "Bearer " + KEY));
      for (HttpRequest.Builder request : elsewhere) {
        assertProblem(server.send(request), 401, "unauthorized");
      }
      assertProblem(server.send(server.request("/v1/stats").header("Authorization", "Bearer " + KEY + " " + KEY)), 403,
          "forbidden");
    }
  }

  @Test
  void openReads_letEveryDocumentedReadIn_andNoWrite() {
    try (TestServer server = TestServer.startWithoutPostgres(dataDirectory,
        ServerConfig.defaults().withApiKeys(List.of(KEY)).withOpenReads(true))) {
      List<Operation> operations = operations(server.withKey(null).get("/openapi.json").json());
      int reads = 0;
      int writes = 0;
      for (Operation operation : operations) {
        if (!operation.path().startsWith("/v1/")) {
          continue;
        }
        Reply none = call(server.withKey(null), operation);
        if (operation.isRead()) {
          reads++;
          assertThat(none.status()).as("%s without a key under open reads: %s", operation, none).isNotIn(401, 403)
              .isLessThan(500);
        } else {
          writes++;
          assertProblem(none, 401, "unauthorized");
        }
        assertProblem(call(server.withKey(WRONG_KEY), operation), 403, "forbidden");
        assertThat(call(server.withKey(KEY), operation).status()).as("%s with the key", operation).isNotIn(401, 403);
      }
      assertThat(reads).as("documented reads").isGreaterThanOrEqualTo(5);
      assertThat(writes).as("documented writes").isGreaterThanOrEqualTo(3);
      // a read method on a write path, or a method override header, is no way around the key
      assertThat(server.send(server.withKey(null).request("/v1/sync").GET()).status()).isEqualTo(405);
      server.store().store(Abilities.simple("override-probe", "auth", false, TestServer.DIMENSION));
      for (String method : List.of("GET", "POST", "HEAD")) {
        Reply overridden = server.send(server.withKey(null).request("/v1/abilities/override-probe")
            .header("X-HTTP-Method-Override", "DELETE").method(method, HttpRequest.BodyPublishers.noBody()));
        assertThat(overridden.status()).as("%s overridden to DELETE: %s", method, overridden).isNotEqualTo(200);
      }
      assertThat(server.store().get("override-probe")).as("no read became a delete").isPresent();
    }
  }

  /** What the document declares matches what the server does: /v1 needs the bearer key, the probes do not. */
  @Test
  void document_declaresTheKeyOnEveryV1Operation_andOpenProbes() {
    try (TestServer server = TestServer.startWithoutPostgres(dataDirectory, ServerConfig.defaults())) {
      JsonNode document = server.get("/openapi.json").json();
      assertThat(document.at("/components/securitySchemes/apiKey/scheme").asText()).isEqualTo("bearer");
      for (Operation operation : operations(document)) {
        assertThat(operation.secured()).as("%s declares the API key", operation)
            .isEqualTo(operation.path().startsWith("/v1/"));
      }
    }
  }

  @Test
  void keys_neverReachTheLogs_whereverTheyAreSent() throws IOException {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger application = (Logger) LoggerFactory.getLogger("dev.abilitystore");
    Level applicationLevel = application.getLevel();
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    application.setLevel(Level.TRACE);
    try (TestServer server = TestServer.startWithoutPostgres(dataDirectory,
        ServerConfig.defaults().withApiKeys(List.of(KEY, OTHER_KEY)))) {
      for (String key : SECRETS) {
        server.withKey(key).get("/v1/stats");
        server.withKey(key).post("/v1/search", "{\"query\": \"x\"}");
        server.withKey(key).post("/v1/abilities", "{\"ability_id\": \"bad id\"}");
        server.withKey(key).post("/v1/abilities", "{not json");
        server.withKey(key).get("/v1/abilities/absent");
        server.withKey(key).get("/v1/abilities?limit=oops");
        server.withKey(key).post("/v1/sync", "{}");
        server.send(server.withKey(null).request("/v1/stats").header("Authorization", "bearer " + key));
        server.send(server.withKey(null).request("/v1/stats").header("X-API-Key", key));
        server.send(server.withKey(null).request("/v1/stats?api_key=" + key));
        server.send(server.withKey(key).request("/v1/stats").method("FUZZ", HttpRequest.BodyPublishers.noBody()));
        raw(server, "GET /v1/stats HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key + "\r\nBad Header\r\n\r\n");
        raw(server, "GET /v1/stats HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key + "\r\nX-Big: "
            + "y".repeat(20_000) + "\r\n\r\n");
        raw(server, "GET /v1/stats HTTP/9.9\r\nHost: x\r\nAuthorization: Bearer " + key + "\r\n\r\n");
      }
      server.withKey(KEY).post("/v1/abilities", TestServer.batch(List.of(Abilities.simple("logged-ability", "auth",
          false, TestServer.DIMENSION))));
      server.withKey(KEY).delete("/v1/abilities/logged-ability");
    } finally {
      application.setLevel(applicationLevel);
      root.detachAppender(captured);
    }

    List<String> logged = new ArrayList<>();
    for (ILoggingEvent event : captured.list) {
      StringBuilder text = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
      if (event.getArgumentArray() != null) {
        for (Object argument : event.getArgumentArray()) {
          text.append(' ').append(argument);
        }
      }
      event.getMDCPropertyMap().forEach((name, value) -> text.append(' ').append(name).append('=').append(value));
      for (IThrowableProxy thrown = event.getThrowableProxy(); thrown != null; thrown = thrown.getCause()) {
        text.append(' ').append(thrown.getClassName()).append(": ").append(thrown.getMessage());
      }
      logged.add(text.toString());
    }
    assertThat(logged).as("captured log events").anyMatch(line -> line.contains("apiKeys=2 configured"))
        .anyMatch(line -> line.contains("[HTTP] GET /v1/stats 200"))
        .anyMatch(line -> line.contains("[HTTP] GET /v1/stats 403"));
    for (String secret : SECRETS) {
      assertThat(logged).as("log events holding the key %s", secret).noneMatch(line -> line.contains(secret));
    }
  }

  private static void raw(TestServer server, String request) throws IOException {
    RawHttp.send(server.server().uri().getHost(), server.server().port(), request.getBytes(StandardCharsets.UTF_8),
        Duration.ofSeconds(10));
  }

  private static Reply call(TestServer server, Operation operation) {
    HttpRequest.Builder request = server.request(operation.path());
    if (operation.body() != null) {
      request.header("Content-Type", "application/json")
          .method(operation.method(), HttpRequest.BodyPublishers.ofString(operation.body()));
    } else {
      request.method(operation.method(), HttpRequest.BodyPublishers.noBody());
    }
    return server.send(request);
  }

  /** Every operation of the document, with its path parameters filled in and a body where it takes one. */
  private static List<Operation> operations(JsonNode document) {
    boolean globallySecured = false;
    for (JsonNode requirement : document.path("security")) {
      globallySecured |= requirement.has("apiKey");
    }
    List<Operation> operations = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
      for (Map.Entry<String, JsonNode> entry : path.getValue().properties()) {
        String method = entry.getKey().toUpperCase(Locale.ROOT);
        JsonNode operation = entry.getValue();
        boolean secured = globallySecured;
        if (operation.has("security")) {
          secured = false;
          for (JsonNode requirement : operation.get("security")) {
            secured |= requirement.has("apiKey");
          }
        }
        String concrete = path.getKey().replace("{ability_id}", "auth-route-probe");
        assertThat(concrete).as("every path parameter filled in").doesNotContain("{");
        String body = operation.has("requestBody") ? switch (path.getKey()) {
          case "/v1/abilities" -> TestServer.batch(List.of(Abilities.simple("auth-route-probe", "auth", false,
              TestServer.DIMENSION)));
          case "/v1/search" -> "{\"query\": \"probe\"}";
          default -> "{\"dry_run\": true}";
        } : null;
        operations.add(new Operation(method, path.getKey(), concrete, body, secured));
      }
    }
    return operations;
  }
}
