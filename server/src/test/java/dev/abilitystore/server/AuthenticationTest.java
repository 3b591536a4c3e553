package dev.abilitystore.server;

import static dev.abilitystore.server.BadInputTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.postgres.testing.PostgresDatabase;
import dev.abilitystore.server.TestServer.Reply;
import dev.abilitystore.testing.Abilities;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** API keys on {@code /v1}: 401 without one, 403 with a wrong one, open reads, open probes, keys never logged. */
class AuthenticationTest {
  private static final String KEY = "first-key-3d9f0b6e";
  private static final String OTHER_KEY = "second-key-a81c";
  private static final String ABILITY = TestServer.batch(List.of(Abilities.simple("auth-ability", "auth", false,
      TestServer.DIMENSION)));

  @RegisterExtension static final PostgresDatabase database = new PostgresDatabase();
  @TempDir static Path dataDirectory;
  @TempDir static Path openReadsDirectory;
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(dataDirectory, database.config(), ServerConfig.defaults().withApiKeys(List.of(KEY,
        OTHER_KEY)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void v1_withoutKey_is401WithChallenge() {
    for (Reply reply : List.of(server.withKey(null).get("/v1/stats"), server.get("/v1/abilities"),
        server.get("/v1/abilities/auth-ability"), server.post("/v1/search", "{\"query\": \"x\"}"),
        server.post("/v1/abilities", ABILITY), server.delete("/v1/abilities/auth-ability"),
        server.post("/v1/sync", "{}"), server.get("/v1/services"), server.get("/v1/no-such-path"))) {
      assertProblem(reply, 401, "unauthorized");
      assertThat(reply.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
          challenge -> assertThat(challenge).startsWith("Bearer"));
    }
    assertThat(server.store().get("auth-ability")).isEmpty();
  }

  @Test
  void v1_withOtherSchemeOrEmptyKey_is401() {
    assertProblem(server.send(server.withKey(null).request("/v1/stats").header("Authorization", "Basic dXNlcjpwdw==")),
        401, "unauthorized");
    assertProblem(server.send(server.withKey(null).request("/v1/stats").header("Authorization", "Bearer ")),
        401, "unauthorized");
  }

  @Test
  void v1_withWrongKey_is403() {
    for (String wrong : List.of("wrong", KEY + "x", KEY.substring(1), " " + OTHER_KEY.substring(1))) {
      Reply reply = server.withKey(wrong).post("/v1/abilities", ABILITY);

      assertProblem(reply, 403, "forbidden");
    }
    assertThat(server.store().get("auth-ability")).isEmpty();
  }

  @Test
  void v1_keyDifferingOnlyInCase_is403EvenOnTheConnectionThatSentTheKey() {
    String otherCase = KEY.toUpperCase(java.util.Locale.ROOT);

    assertThat(server.withKey(KEY).get("/v1/stats").status()).isEqualTo(200);
    assertProblem(server.withKey(otherCase).get("/v1/stats"), 403, "forbidden");
  }

  @Test
  void v1_withEitherKey_answersEveryEndpoint() {
    assertThat(server.withKey(KEY).post("/v1/abilities", ABILITY).status()).isEqualTo(200);
    server.withKey(OTHER_KEY);
    for (Reply reply : List.of(server.get("/v1/abilities/auth-ability"), server.get("/v1/abilities?service_name=auth"),
        server.post("/v1/search", "{\"query\": \"auth\"}"), server.get("/v1/services"), server.get("/v1/stats"),
        server.post("/v1/sync", "{\"dry_run\": true}"))) {
      assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }
    assertThat(server.send(server.withKey(null).request("/v1/stats").header("Authorization", "bearer " + KEY))
        .status()).isEqualTo(200);
    assertThat(server.withKey(KEY).delete("/v1/abilities/auth-ability").json().get("deleted").asBoolean()).isTrue();
  }

  @Test
  void probesAndDashboard_stayOpen() {
    server.withKey(null);
    assertThat(server.get("/health").status()).isEqualTo(200);
    assertThat(server.get("/ready").status()).isEqualTo(200);
    assertThat(server.get("/metrics").status()).isEqualTo(200);
    assertThat(server.get("/openapi.json").status()).isEqualTo(200);
    if (ApiServer.class.getClassLoader().getResource("dashboard/index.html") != null) {
      Reply dashboard = server.get("/");
      assertThat(dashboard.status()).isEqualTo(200);
      assertThat(dashboard.contentType()).startsWith("text/html");
    }
  }

  @Test
  void ready_withKeys_hidesWhatTheStoresSaid() {
    Reply reply = server.withKey(null).get("/ready");

    assertThat(reply.json().get("secondary").has("detail")).isFalse();
    assertThat(reply.json().get("replication").has("last_error")).isFalse();
    assertThat(reply.body()).doesNotContain("127.0.0.1");
  }

  @Test
  void openReads_letReadsInWithoutKeyButNotWrites() {
    try (TestServer open = TestServer.startWithoutPostgres(openReadsDirectory,
        ServerConfig.defaults().withApiKeys(List.of(KEY)).withOpenReads(true))) {
      assertThat(open.get("/v1/abilities").status()).isEqualTo(200);
      assertThat(open.get("/v1/stats").status()).isEqualTo(200);
      assertThat(open.get("/v1/services").status()).isEqualTo(200);
      assertThat(open.post("/v1/search", "{\"query\": \"anything\"}").status()).isEqualTo(200);
      assertThat(open.get("/v1/abilities/absent").status()).isEqualTo(404);

      assertProblem(open.post("/v1/abilities", ABILITY), 401, "unauthorized");
      assertProblem(open.delete("/v1/abilities/absent"), 401, "unauthorized");
      assertProblem(open.post("/v1/sync", "{}"), 401, "unauthorized");
      assertProblem(open.send(open.request("/v1/search").header("X-HTTP-Method-Override", "DELETE")
          .POST(HttpRequest.BodyPublishers.ofString("{}"))), 401, "unauthorized");
      assertProblem(open.withKey("wrong").get("/v1/abilities"), 403, "forbidden");
      assertThat(open.withKey(KEY).post("/v1/abilities", ABILITY).status()).isEqualTo(200);
    }
  }

  @Test
  void keys_neverReachTheLog() throws IOException {
    server.withKey(KEY).get("/v1/stats");
    server.withKey("wrong-key-5e1d").get("/v1/stats");

    String log = Files.readString(Path.of("target", "server-tests.log"));

    assertThat(log).contains("[HTTP] Listening on", "apiKeys=2 configured");
    assertThat(log).doesNotContain(KEY, OTHER_KEY, "wrong-key-5e1d");
  }
}
