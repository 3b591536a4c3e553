package dev.abilitystore.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.postgres.testing.PostgresDatabase;
import dev.abilitystore.server.TestServer.Reply;
import dev.abilitystore.testing.Abilities;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code /v1/abilities} end to end over Lucene and PostgreSQL, without authentication. */
class AbilityEndpointsTest {
  @RegisterExtension static final PostgresDatabase database = new PostgresDatabase();
  @TempDir static Path dataDirectory;
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(dataDirectory, database.config(), ServerConfig.defaults());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void store_oneAbility_answersOutcomesAndBothStoresHoldIt() {
    Reply reply = server.post("/v1/abilities", """
        {"ability_id": "single-get-user", "ability_name": "Get User", "service_name": "single",
         "description": "Fetches a user's public profile", "dynamic_header_keys": [],
         "metadata": {"request_method": "GET", "request_url": "https://api.example.com/users/{id}"}}
        """);

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("application/json");
    JsonNode json = reply.json();
    assertThat(json.get("stored").asInt()).isEqualTo(1);
    JsonNode result = json.get("results").get(0);
    assertThat(result.get("ability_id").asText()).isEqualTo("single-get-user");
    assertThat(result.get("vector_id").asInt()).isEqualTo(Ability.builder("single-get-user").name("n").service("s")
        .description("d").build().vectorId());
    assertThat(result.get("primary").asText()).isEqualTo("inserted");
    assertThat(result.get("secondary").asText()).isEqualTo("stored");
    assertThat(json.has("took_ms")).isTrue();
    assertThat(server.store().secondary().get("single-get-user")).isPresent();

    Reply again = server.post("/v1/abilities", server.get("/v1/abilities/single-get-user").body());
    assertThat(again.json().get("results").get(0).get("primary").asText()).isEqualTo("unchanged");
  }

  @Test
  void get_storedAbility_answersItsJsonWithTheEmbeddingOnlyWhenAsked() {
    server.post("/v1/abilities", TestServer.batch(List.of(Abilities.full("get-full", TestServer.DIMENSION))));

    Reply reply = server.get("/v1/abilities/get-full");
    Reply withEmbedding = server.get("/v1/abilities/get-full?include=embedding");

    assertThat(reply.status()).isEqualTo(200);
    JsonNode ability = reply.json();
    assertThat(ability.get("ability_id").asText()).isEqualTo("get-full");
    assertThat(ability.get("service_name").asText()).isEqualTo("github");
    assertThat(ability.get("dynamic_headers_required").asBoolean()).isTrue();
    assertThat(ability.get("metadata").get("request_method").asText()).isEqualTo("GET");
    assertThat(ability.has("created_at")).isTrue();
    assertThat(ability.has("embedding")).isFalse();
    assertThat(withEmbedding.json().get("embedding")).hasSize(TestServer.DIMENSION);
  }

  @Test
  void get_absentAbility_is404Problem() {
    Reply reply = server.get("/v1/abilities/no-such-ability");

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    assertThat(reply.json().get("type").asText()).isEqualTo("urn:abilitystore:problem:not-found");
    assertThat(reply.json().get("instance").asText()).isEqualTo("/v1/abilities/no-such-ability");
  }

  @Test
  void get_unknownInclude_is400NamingInclude() {
    Reply reply = server.get("/v1/abilities/get-full?include=everything");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("errors").get(0).get("field").asText()).isEqualTo("include");
  }

  @Test
  void delete_existingThenAbsent_saysWhetherItExisted() {
    server.post("/v1/abilities", TestServer.batch(List.of(Abilities.simple("delete-me", "deleting", false,
        TestServer.DIMENSION))));

    Reply first = server.delete("/v1/abilities/delete-me");
    Reply second = server.delete("/v1/abilities/delete-me");

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.json().get("deleted").asBoolean()).isTrue();
    assertThat(first.json().get("ability_id").asText()).isEqualTo("delete-me");
    assertThat(first.json().get("secondary").asText()).isEqualTo("stored");
    assertThat(first.json().has("took_ms")).isTrue();
    assertThat(second.json().get("deleted").asBoolean()).isFalse();
    assertThat(server.get("/v1/abilities/delete-me").status()).isEqualTo(404);
    assertThat(server.store().secondary().get("delete-me")).isEmpty();
  }

  @Test
  void list_filters_answerOnlyMatchingAbilitiesInIdOrder() {
    server.post("/v1/abilities", TestServer.batch(List.of(
        Abilities.simple("list-a-public", "list-alpha", false, TestServer.DIMENSION),
        Abilities.simple("list-a-private", "list-alpha", true, TestServer.DIMENSION),
        Abilities.simple("list-b-public", "list-beta", false, TestServer.DIMENSION),
        Abilities.simple("list-c-private", "list-gamma", true, TestServer.DIMENSION))));

    assertThat(ids(server.get("/v1/abilities?service_name=list-alpha")))
        .containsExactly("list-a-private", "list-a-public");
    assertThat(ids(server.get("/v1/abilities?service_name=list-alpha&service_name=list-gamma")))
        .containsExactly("list-a-private", "list-a-public", "list-c-private");
    assertThat(ids(server.get("/v1/abilities?service_name=list-alpha&service_name=list-beta"
        + "&dynamic_headers_required=false"))).containsExactly("list-a-public", "list-b-public");
    assertThat(ids(server.get("/v1/abilities?q=" + encode("DOES LIST-B"))))
        .containsExactly("list-b-public");
  }

  @Test
  void list_pages_followNextCursorToTheEnd() {
    List<Ability> abilities = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      abilities.add(Abilities.simple("page-" + i, "paging", i % 2 == 0, TestServer.DIMENSION));
    }
    server.post("/v1/abilities", TestServer.batch(abilities));

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Reply reply = server.get("/v1/abilities?service_name=paging&limit=2"
          + (cursor == null ? "" : "&cursor=" + encode(cursor)));
      assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
      seen.addAll(ids(reply));
      cursor = reply.json().get("next_cursor").isNull() ? null : reply.json().get("next_cursor").asText();
      pages++;
    } while (cursor != null);

    assertThat(seen).containsExactly("page-0", "page-1", "page-2", "page-3", "page-4");
    assertThat(pages).isBetween(3, 4);
  }

  @Test
  void list_badParameters_are400NamingEach() {
    Reply reply = server.get("/v1/abilities?limit=0&dynamic_headers_required=maybe&servce_name=x");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(fields(reply)).containsExactlyInAnyOrder("limit", "dynamic_headers_required", "servce_name");
    assertThat(fields(server.get("/v1/abilities?cursor=bm9wZQ"))).containsExactly("cursor");
    assertThat(fields(server.get("/v1/abilities?limit=1001"))).containsExactly("limit");
    assertThat(fields(server.get("/v1/abilities?limit=2&limit=3"))).containsExactly("limit");
  }

  @Test
  void store_thousandAbilities_accepted() {
    List<Ability> abilities = new ArrayList<>();
    for (int i = 0; i < AbilityBatchReader.MAX_BATCH; i++) {
      abilities.add(Abilities.simple(String.format("bulk-%04d", i), "bulk", i % 3 == 0, TestServer.DIMENSION));
    }

    Reply reply = server.post("/v1/abilities", TestServer.batch(abilities));

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.json().get("stored").asInt()).isEqualTo(1000);
    assertThat(primaryCount("bulk")).isEqualTo(1000);
    assertThat(server.store().secondary().count(AbilityFilter.builder().service("bulk").build())).isEqualTo(1000);
  }

  @Test
  void store_thousandAndOneAbilities_refusedWith413AndNothingStored() {
    List<Ability> abilities = new ArrayList<>();
    for (int i = 0; i <= AbilityBatchReader.MAX_BATCH; i++) {
      abilities.add(Abilities.simple(String.format("too-many-%04d", i), "too-many", false, TestServer.DIMENSION));
    }

    Reply reply = server.post("/v1/abilities", TestServer.batch(abilities));

    assertThat(reply.status()).isEqualTo(413);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    assertThat(reply.json().get("detail").asText()).contains("1000");
    assertThat(fields(reply)).containsExactly("abilities");
    assertThat(primaryCount("too-many")).isZero();
    assertThat(server.store().secondary().count(AbilityFilter.builder().service("too-many").build())).isZero();
  }

  private static int primaryCount(String service) {
    return server.store().primary().query(AbilityQuery.firstPage(AbilityFilter.builder().service(service).build(),
        AbilityQuery.MAX_LIMIT)).items().size();
  }

  static List<String> ids(Reply reply) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    reply.json().get("abilities").forEach(ability -> ids.add(ability.get("ability_id").asText()));
    return ids;
  }

  static List<String> fields(Reply reply) {
    List<String> fields = new ArrayList<>();
    reply.json().get("errors").forEach(error -> fields.add(error.get("field").asText()));
    return fields;
  }

  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
