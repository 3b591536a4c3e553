package dev.abilitystore.server;

import static dev.abilitystore.server.AbilityEndpointsTest.fields;
import static dev.abilitystore.server.BadInputTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.abilitystore.postgres.testing.PostgresDatabase;
import dev.abilitystore.server.TestServer.Reply;
import dev.abilitystore.testing.Abilities;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code /v1/services}, {@code /v1/stats} and {@code /v1/sync} end to end over Lucene and PostgreSQL. */
class StoreEndpointsTest {
  @RegisterExtension static final PostgresDatabase database = new PostgresDatabase();
  @TempDir static Path dataDirectory;
  @TempDir static Path luceneOnlyDirectory;
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(dataDirectory, database.config(), ServerConfig.defaults());
    Reply stored = server.post("/v1/abilities", TestServer.batch(Abilities.catalogue(TestServer.DIMENSION)));
    assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void services_countTotalPublicAndPrivatePerService() {
    Reply reply = server.get("/v1/services");

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    Map<String, String> counts = new LinkedHashMap<>();
    for (JsonNode service : reply.json().get("services")) {
      counts.put(service.get("service_name").asText(), service.get("total").asLong() + "/"
          + service.get("public").asLong() + "/" + service.get("private").asLong());
    }
    assertThat(counts).containsExactly(Map.entry("Open Meteo", "1/1/0"), Map.entry("github", "2/1/1"),
        Map.entry("pokeapi", "1/1/0"), Map.entry("stripe", "2/0/2"));
    assertThat(reply.json().has("took_ms")).isTrue();
  }

  @Test
  void stats_showStoresQueueEmbedderAndUsage() {
    server.post("/v1/search", "{\"query\": \"github user\"}");
    server.get("/v1/abilities/github-get-user");

    Reply reply = server.get("/v1/stats");

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    JsonNode stats = reply.json();
    assertThat(stats.get("primary").get("name").asText()).isEqualTo("lucene");
    assertThat(stats.get("primary").get("count").asLong()).isEqualTo(6);
    assertThat(stats.get("primary").get("status").asText()).isEqualTo("up");
    assertThat(stats.get("primary").get("detail").asText()).isNotBlank();
    assertThat(stats.get("secondary").get("name").asText()).isEqualTo("postgresql");
    assertThat(stats.get("secondary").get("count").asLong()).isEqualTo(6);
    assertThat(stats.get("secondary").get("status").asText()).isEqualTo("up");
    JsonNode replication = stats.get("replication");
    assertThat(replication.get("depth").asLong()).isZero();
    assertThat(replication.get("oldest_age_ms").isNull()).isTrue();
    assertThat(replication.get("consecutive_failures").asInt()).isZero();
    assertThat(replication.has("last_error")).isTrue();
    assertThat(replication.has("delivered")).isTrue();
    assertThat(stats.get("embedder").get("model").asText()).isEqualTo("hashing-v1");
    assertThat(stats.get("embedder").get("dimension").asInt()).isEqualTo(TestServer.DIMENSION);
    JsonNode usage = stats.get("usage");
    assertThat(usage.get("searches").asLong()).isPositive();
    assertThat(usage.get("top_abilities")).isNotEmpty();
    assertThat(usage.get("top_abilities").get(0).fieldNames()).toIterable()
        .containsExactly("ability_id", "service_name", "hits", "fetches", "last_used_at");
    assertThat(usage.get("services")).isNotEmpty();
    assertThat(stats.has("last_sync")).isTrue();
    assertThat(stats.has("took_ms")).isTrue();
  }

  @Test
  void sync_rowDeletedByHand_dryRunReportsItAndSyncRepairsIt() {
    database.execute("DELETE FROM abilities WHERE ability_id = 'pokeapi-get-pokemon'");

    Reply dryRun = server.post("/v1/sync", "{\"direction\": \"primary-to-secondary\", \"dry_run\": true}");
    Reply sync = server.post("/v1/sync", "{}");

    assertThat(dryRun.status()).as(dryRun.toString()).isEqualTo(200);
    JsonNode planned = dryRun.json();
    assertThat(planned.get("direction").asText()).isEqualTo("primary-to-secondary");
    assertThat(planned.get("dry_run").asBoolean()).isTrue();
    assertThat(planned.get("missing_in_secondary").asLong()).isEqualTo(1);
    assertThat(planned.get("repaired").asLong()).isEqualTo(1);
    assertThat(planned.get("repairs").get(0).get("ability_id").asText()).isEqualTo("pokeapi-get-pokemon");
    assertThat(planned.get("repairs").get(0).get("action").asText()).isEqualTo("copied-to-secondary");
    assertThat(planned.fieldNames()).toIterable().contains("started_at", "duration_ms", "scanned_primary",
        "scanned_secondary", "missing_in_primary", "stale", "deletions_honoured", "repairs_truncated", "took_ms");
    assertThat(sync.status()).as(sync.toString()).isEqualTo(200);
    assertThat(sync.json().get("dry_run").asBoolean()).isFalse();
    assertThat(sync.json().get("repaired").asLong()).isEqualTo(1);
    assertThat(database.queryLong("SELECT count(*) FROM abilities WHERE ability_id = 'pokeapi-get-pokemon'"))
        .isEqualTo(1);
    assertThat(server.get("/v1/stats").json().get("last_sync").get("repaired").asLong()).isEqualTo(1);
  }

  @Test
  void sync_badFields_are400NamingEach() {
    Reply reply = server.post("/v1/sync", "{\"direction\": \"sideways\", \"dry_run\": \"yes\", \"force\": true}");

    assertProblem(reply, 400, "invalid-request");
    assertThat(fields(reply)).containsExactlyInAnyOrder("direction", "dry_run", "force");
  }

  @Test
  void sync_withoutPostgres_is400SayingSo() {
    try (TestServer luceneOnly = TestServer.startWithoutPostgres(luceneOnlyDirectory, ServerConfig.defaults())) {
      Reply reply = luceneOnly.post("/v1/sync", "");

      assertProblem(reply, 400, "sync-needs-postgresql");
      assertThat(reply.json().get("detail").asText()).contains("DATABASE_URL");
      JsonNode stats = luceneOnly.get("/v1/stats").json();
      assertThat(stats.get("secondary").get("status").asText()).isEqualTo("disabled");
      assertThat(stats.get("secondary").get("count").isNull()).isTrue();
      assertThat(stats.get("replication").isNull()).isTrue();
      assertThat(luceneOnly.post("/v1/abilities", TestServer.batch(Abilities.catalogue(TestServer.DIMENSION)))
          .json().get("results").get(0).get("secondary").asText()).isEqualTo("disabled");
      assertThat(luceneOnly.get("/ready").status()).isEqualTo(200);
    }
  }
}
