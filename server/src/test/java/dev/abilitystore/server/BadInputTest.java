package dev.abilitystore.server;

import static dev.abilitystore.server.AbilityEndpointsTest.fields;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.AbilityFilter;
import dev.abilitystore.postgres.testing.PostgresDatabase;
import dev.abilitystore.server.TestServer.Reply;
import dev.abilitystore.testing.Abilities;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input to {@code POST /v1/abilities} is a 4xx problem naming what is wrong, and nothing
 * reaches either store. The server accepts bodies of at most {@value #MAX_BODY_BYTES} bytes.
 */
class BadInputTest {
  private static final int MAX_BODY_BYTES = 4096;
  private static final String VALID = """
      {"ability_id": "bad-input-valid", "ability_name": "Valid", "service_name": "bad-input",
       "description": "A valid ability"}""";

  @RegisterExtension static final PostgresDatabase database = new PostgresDatabase();
  @TempDir static Path dataDirectory;
  private static TestServer server;
  private long primaryBefore;
  private long secondaryBefore;

  @BeforeAll
  static void start() {
    server = TestServer.start(dataDirectory, database.config(),
        ServerConfig.defaults().withMaxBodyBytes(MAX_BODY_BYTES));
    server.post("/v1/abilities", TestServer.batch(Abilities.catalogue(TestServer.DIMENSION)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void count() {
    primaryBefore = server.store().primary().count();
    secondaryBefore = server.store().secondary().count(AbilityFilter.ALL);
  }

  @AfterEach
  void nothingStored() {
    assertThat(server.store().primary().count()).as("abilities in the index").isEqualTo(primaryBefore);
    assertThat(server.store().secondary().count(AbilityFilter.ALL)).as("abilities in PostgreSQL")
        .isEqualTo(secondaryBefore);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"ability_id\": \"truncated\", \"ability_name\": \"T",
      "{\"ability_id\": \"truncated\",",
      "{ability_id: \"unquoted\"}",
      "{\"ability_id\": \"x\"} trailing",
      "{\"ability_id\": \"x\",}",
      "not json at all",
  })
  void store_malformedJson_is400MalformedJson(String body) {
    Reply reply = server.post("/v1/abilities", body);

    assertProblem(reply, 400, "malformed-json");
  }

  @Test
  void store_emptyBody_is400() {
    assertProblem(server.post("/v1/abilities", ""), 400, "malformed-json");
  }

  @Test
  void store_notAnObject_is400() {
    assertProblem(server.post("/v1/abilities", "[" + VALID + "]"), 400, "malformed-json");
    assertProblem(server.post("/v1/abilities", "42"), 400, "malformed-json");
  }

  @Test
  void store_emptyObject_is400NamingTheRequiredFields() {
    Reply reply = server.post("/v1/abilities", "{}");

    assertProblem(reply, 400, "invalid-request");
    assertThat(fields(reply)).contains("ability_id", "ability_name", "service_name", "description");
  }

  @ParameterizedTest
  @ValueSource(strings = {"NaN", "Infinity", "-Infinity", "+Infinity"})
  void store_nonNumericLiteralInEmbedding_is400(String literal) {
    Reply reply = server.post("/v1/abilities", withEmbedding("[" + literal + ", 0.5]"));

    assertProblem(reply, 400, "malformed-json");
    assertThat(reply.json().get("detail").asText()).contains("NaN and Infinity are not JSON numbers");
  }

  @Test
  void store_embeddingOverflowingFloat_is400NamingTheComponent() {
    String components = IntStream.range(0, TestServer.DIMENSION).mapToObj(i -> i == 3 ? "1e999" : "0.5")
        .collect(Collectors.joining(",", "[", "]"));

    Reply reply = server.post("/v1/abilities", withEmbedding(components));

    assertProblem(reply, 400, "invalid-ability");
    assertThat(fields(reply)).anyMatch(field -> field.startsWith("embedding"));
  }

  @Test
  void store_wrongDimension_is400NamingEmbedding() {
    Reply reply = server.post("/v1/abilities", withEmbedding("[0.1, 0.2, 0.3]"));

    assertProblem(reply, 400, "invalid-ability");
    assertThat(fields(reply)).containsExactly("embedding");
    assertThat(reply.json().get("errors").get(0).get("message").asText()).contains("32");
  }

  @Test
  void store_wrongTypes_are400NamingEachField() {
    Reply reply = server.post("/v1/abilities", """
        {"ability_id": "typed", "ability_name": 5, "service_name": ["x"], "description": "d",
         "embedding": "many", "metadata": [], "dynamic_header_keys": [1], "created_at": "yesterday"}""");

    assertProblem(reply, 400, "invalid-ability");
    assertThat(fields(reply)).contains("ability_name", "service_name", "embedding", "metadata",
        "dynamic_header_keys[0]", "created_at");
  }

  @Test
  void store_unknownField_is400NamingIt() {
    Reply reply = server.post("/v1/abilities", VALID.replace("}", ", \"colour\": \"blue\"}"));

    assertProblem(reply, 400, "invalid-ability");
    assertThat(fields(reply)).containsExactly("colour");
  }

  @Test
  void store_contentHash_isIgnoredAsTheImporterDoes() {
    Reply reply = server.post("/v1/abilities", """
        {"ability_id": "bad-input-hashed", "ability_name": "Hashed", "service_name": "bad-input",
         "description": "Carries a content hash", "content_hash": "anything"}""");

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    server.delete("/v1/abilities/bad-input-hashed");
  }

  @Test
  void store_vectorIdContradictingTheId_is400() {
    Reply reply = server.post("/v1/abilities", VALID.replace("}", ", \"vector_id\": 1}"));

    assertProblem(reply, 400, "invalid-ability");
    assertThat(fields(reply)).containsExactly("vector_id");
  }

  @Test
  void store_batchWithOneBadAbility_storesNoneAndNamesItsPlace() {
    Reply reply = server.post("/v1/abilities", "{\"abilities\": [" + VALID + ", "
        + VALID.replace("bad-input-valid", "bad input with spaces") + ", 7]}");

    assertProblem(reply, 400, "invalid-ability");
    assertThat(fields(reply)).containsExactly("abilities[1].ability_id", "abilities[2]");
    assertThat(server.get("/v1/abilities/bad-input-valid").status()).isEqualTo(404);
  }

  @Test
  void store_batchWithAnotherField_is400NamingIt() {
    Reply reply = server.post("/v1/abilities", "{\"abilities\": [" + VALID + "], \"count\": 1}");

    assertProblem(reply, 400, "invalid-ability");
    assertThat(fields(reply)).containsExactly("count");
  }

  @Test
  void store_deepNesting_is400() {
    String nested = "[".repeat(300) + "]".repeat(300);

    Reply reply = server.post("/v1/abilities", VALID.replace("}", ", \"metadata\": {\"deep\": " + nested + "}}"));

    assertProblem(reply, 400, "malformed-json");
  }

  @Test
  void store_bodyOverTheLimit_is413() {
    String padding = "x".repeat(MAX_BODY_BYTES);

    Reply reply = server.post("/v1/abilities", VALID.replace("A valid ability", padding));

    assertProblem(reply, 413, "body-too-large");
  }

  @Test
  void store_bodyOverTheLimitWithoutDeclaredLength_is413WhileStreaming() {
    byte[] body = VALID.replace("A valid ability", "y".repeat(3 * MAX_BODY_BYTES)).getBytes(StandardCharsets.UTF_8);

    Reply reply = server.send(server.request("/v1/abilities").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));

    assertProblem(reply, 413, "body-too-large");
  }

  @Test
  void store_nonJsonContentType_is415() {
    Reply reply = server.send(server.request("/v1/abilities").header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString(VALID)));

    assertProblem(reply, 415, "unsupported-media-type");
  }

  @Test
  void store_withoutContentType_is415() {
    Reply reply = server.send(server.request("/v1/abilities").POST(HttpRequest.BodyPublishers.ofString(VALID)));

    assertProblem(reply, 415, "unsupported-media-type");
  }

  @Test
  void search_bodyOverTheLimit_is413() {
    Reply reply = server.post("/v1/search", "{\"query\": \"" + "q".repeat(2 * MAX_BODY_BYTES) + "\"}");

    assertProblem(reply, 413, "body-too-large");
  }

  @Test
  void store_jsonWithCharset_isAccepted() {
    Reply reply = server.send(server.request("/v1/abilities").header("Content-Type", "application/json; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(VALID)));

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    server.delete("/v1/abilities/bad-input-valid");
  }

  @Test
  void wrongMethod_is405WithAllow() {
    Reply reply = server.send(server.request("/v1/abilities").PUT(HttpRequest.BodyPublishers.ofString(VALID)));

    assertProblem(reply, 405, "method-not-allowed");
    assertThat(reply.headers().firstValue("Allow").orElse("")).contains("GET", "POST");
  }

  @Test
  void unknownPath_is404Problem() {
    assertProblem(server.get("/v1/nothing-here"), 404, "not-found");
    assertProblem(server.get("/nothing-here"), 404, "not-found");
  }

  @Test
  void abilityIdInPath_invalid_is400() {
    Reply reply = server.get("/v1/abilities/" + "x".repeat(300));

    assertProblem(reply, 400, "invalid-request");
    assertThat(fields(reply)).containsExactly("ability_id");
  }

  private static String withEmbedding(String embedding) {
    return VALID.replace("}", ", \"embedding\": " + embedding + "}");
  }

  static void assertProblem(Reply reply, int status, String kind) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    assertThat(reply.json().get("type").asText()).isEqualTo("urn:abilitystore:problem:" + kind);
    assertThat(reply.json().get("status").asInt()).isEqualTo(status);
    assertThat(reply.json().get("title").asText()).isNotBlank();
    assertThat(reply.json().get("detail").asText()).isNotBlank();
    assertThat(reply.json().get("instance").asText()).startsWith("/");
    assertThat(reply.json().get("errors").isArray()).isTrue();
  }

}
