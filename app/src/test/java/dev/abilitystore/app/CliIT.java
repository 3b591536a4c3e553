package dev.abilitystore.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.abilitystore.infraxa.testing.FakeInfraxa;
import dev.abilitystore.postgres.PostgresConfig;
import dev.abilitystore.postgres.testing.PostgresDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code bin/abilitystore} as a user does: in a fresh working directory (so a fresh
 * {@code ./data}), against a throwaway database or none. The hashing embedder keeps it fast,
 * except where the bundled model is the point.
 */
class CliIT {
  @RegisterExtension
  static final PostgresDatabase database = new PostgresDatabase();
  /** An empty database to restore a backup into. */
  @RegisterExtension
  static final PostgresDatabase restored = new PostgresDatabase();

  private static final Path LAUNCHER = Path.of("").toAbsolutePath().getParent().resolve("bin/abilitystore");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> HASHING = Map.of("ABILITYSTORE_EMBEDDER", "hashing");

  @TempDir
  Path directory;

  record Result(int exitCode, String out, String err) {}

  private static String databaseUrl(PostgresConfig config) {
    return config.jdbcUrl() + (config.user() == null ? "" : "?user=" + config.user());
  }

  private Result run(Map<String, String> environment, String stdin, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(LAUNCHER.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
    builder.environment().keySet().removeIf(name -> name.equals("DATABASE_URL") || name.startsWith("ABILITYSTORE_"));
    // Each command is a short-lived JVM: the C1 compiler alone starts it a third faster.
    builder.environment().put("ABILITYSTORE_JAVA_OPTS", "-XX:TieredStopAtLevel=1");
    builder.environment().putAll(environment);
    Path out = directory.resolve("out.txt");
    Path err = directory.resolve("err.txt");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("abilitystore %s finished in time", String.join(" ", args)).isTrue();
    return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** Runs with PostgreSQL and the hashing embedder. */
  private Result run(String... args) throws Exception {
    return run(withPostgres(Map.of()), "", args);
  }

  /** Runs without PostgreSQL, with the hashing embedder and the given settings. */
  private Result runLuceneOnly(Map<String, String> environment, String... args) throws Exception {
    Map<String, String> merged = new HashMap<>(HASHING);
    merged.putAll(environment);
    return run(merged, "", args);
  }

  private static Map<String, String> withPostgres(Map<String, String> environment) {
    Map<String, String> merged = new HashMap<>(HASHING);
    merged.put("DATABASE_URL", databaseUrl(database.config()));
    merged.putAll(environment);
    return merged;
  }

  private Path file(String name, String content) throws IOException {
    return Files.writeString(directory.resolve(name), content);
  }

  private static String ability(String id, String service, String keys) {
    return "{\"ability_id\":\"" + id + "\",\"ability_name\":\"Name of " + id + "\",\"service_name\":\"" + service
        + "\",\"description\":\"Does " + id + "\",\"dynamic_header_keys\":" + keys
        + ",\"metadata\":{\"request_method\":\"GET\",\"request_url\":\"https://" + service + ".example/" + id + "\"}}";
  }

  private Path threeAbilities() throws IOException {
    return file("abilities.jsonl", ability("gh-get-user", "github", "[]") + "\n"
        + ability("gh-create-issue", "github", "[\"api.github.com::authorization\"]") + "\n"
        + ability("slack-post", "slack", "[\"slack.com::authorization\"]") + "\n");
  }

  private static void assertSucceeded(Result result) {
    assertThat(result.exitCode()).as("exit code; stderr:%n%s", result.err()).isZero();
  }

  @BeforeEach
  void emptyDatabase() {
    database.reset();
  }

  @Test
  void help_listsEveryCommandAndTheExitCodes() throws Exception {
    List<String> commands = List.of("serve", "demo", "import", "export", "search", "query", "get", "delete", "services",
        "stats", "sync", "backup", "restore", "reembed", "db");
    Result help = run(Map.of(), "", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains(commands).contains("Exit codes: 0 success");
    for (String command : commands) {
      assertThat(run(Map.of(), "", command, "--help").exitCode()).as(command + " --help").isZero();
    }
  }

  @Test
  void demo_onEmbeddedDefaults_importsQueriesAndSearchesByMeaning() throws Exception {
    Result demo = run(Map.of(), "", "demo");

    assertSucceeded(demo);
    assertThat(demo.out()).contains("Index (lucene): Lucene", "bge-small-en-v1.5", "PostgreSQL: not configured",
        "Imported the sample catalogue", "SERVICE", "TOTAL", "PUBLIC", "PRIVATE", "openweathermap-get-current-weather");
    String search = demo.out().substring(demo.out().indexOf("By meaning"));
    assertThat(search.lines().skip(2).findFirst()).hasValueSatisfying(first ->
        assertThat(first).contains("github-get-user"));
    assertThat(search.lines().filter(line -> line.matches("\\s+\\d+\\s+0\\.\\d{3}\\s+.*"))).hasSize(3);
    assertThat(directory.resolve("data/index")).isDirectory();
  }

  @Test
  void demo_withPostgres_createsTheDatabaseCopyAndIsRepeatable() throws Exception {
    Result demo = run("demo");
    assertSucceeded(demo);
    assertThat(demo.out()).contains("PostgreSQL: up", "Imported the sample catalogue", "github-get-user")
        .containsPattern("PostgreSQL: \\d+ stored");
    assertThat(demo.err()).contains("[DB] Successfully stored");
    assertThat(database.queryLong("SELECT count(*) FROM abilities")).isGreaterThanOrEqualTo(60);

    Result again = run("demo");
    assertSucceeded(again);
    assertThat(again.out()).contains("0 new, 0 updated");
  }

  @Test
  void import_thenQueryGetServicesDelete() throws Exception {
    Result imported = run("import", threeAbilities().toString());
    assertSucceeded(imported);
    assertThat(imported.out()).contains("imported 3 abilities: 3 new", "PostgreSQL: 3 stored");

    Result publicGithub = run("query", "--service", "github", "--public", "--json");
    assertThat(publicGithub.exitCode()).isZero();
    assertThat(publicGithub.out().lines()).singleElement().asString()
        .contains("\"ability_id\":\"gh-get-user\"", "\"dynamic_headers_required\":false");

    Result paged = run("query", "--limit", "2");
    assertThat(paged.out()).contains("gh-create-issue", "gh-get-user").doesNotContain("slack-post");
    assertThat(paged.err()).contains("more abilities follow: --cursor");
    assertThat(run("query", "--limit", "2", "--all").out()).contains("slack-post");

    Result got = run("get", "slack-post");
    assertThat(got.exitCode()).isZero();
    assertThat(got.out()).contains("\"ability_id\" : \"slack-post\"", "\"vector_id\"").doesNotContain("embedding");
    assertThat(run("get", "slack-post", "--include-embedding").out()).contains("\"embedding\"");

    assertThat(run("services").out()).containsPattern("github\\s+2\\s+1\\s+1").containsPattern("slack\\s+1\\s+0\\s+1");

    Result deleted = run("delete", "slack-post", "no-such-ability");
    assertSucceeded(deleted);
    assertThat(deleted.out()).contains("deleted 1 of 2 abilities");
    assertThat(database.queryLong("SELECT count(*) FROM abilities WHERE ability_id = 'slack-post'")).isZero();
    Result missing = run("get", "slack-post");
    assertThat(missing.exitCode()).isEqualTo(4);
    assertThat(missing.err()).contains("no ability with id 'slack-post'");
    assertThat(run("delete", "slack-post").exitCode()).isEqualTo(4);
  }

  @Test
  void withoutDatabaseUrl_importSearchGetQuery_onTheIndexAlone() throws Exception {
    Map<String, String> dataDir = Map.of("ABILITYSTORE_DATA_DIR", directory.resolve("lucene-only").toString());
    Result imported = runLuceneOnly(dataDir, "import", threeAbilities().toString());
    assertSucceeded(imported);
    assertThat(imported.out()).contains("imported 3 abilities: 3 new", "PostgreSQL: not configured");
    assertThat(directory.resolve("lucene-only/index")).isDirectory();

    Result search = runLuceneOnly(dataDir, "search", "create", "an", "issue", "-k", "2");
    assertSucceeded(search);
    assertThat(search.out().lines().toList()).hasSize(3);
    assertThat(search.out().lines().skip(1).findFirst()).hasValueSatisfying(first ->
        assertThat(first).containsPattern("^\\s*1\\s+\\d\\.\\d{3}\\s+gh-create-issue\\s+github\\s+Name of gh-create-issue"));
    assertThat(search.out()).doesNotContain("degraded");

    JsonNode json = JSON.readTree(runLuceneOnly(dataDir, "search", "slack", "post", "--json", "--private",
        "--mode", "keyword").out());
    assertThat(json.get("results").get(0).get("ability").get("ability_id").asText()).isEqualTo("slack-post");
    assertThat(json.get("results").get(0).get("score").asDouble()).isBetween(0.0, 1.0);
    assertThat(json.get("degraded").asBoolean()).isFalse();
    assertThat(json.get("mode").asText()).isEqualTo("keyword");

    JsonNode onlyGithub = JSON.readTree(runLuceneOnly(dataDir, "search", "post", "--service", "github", "--json").out());
    assertThat(onlyGithub.get("results")).isNotEmpty()
        .allSatisfy(hit -> assertThat(hit.get("ability").get("service_name").asText()).isEqualTo("github"));

    Result got = runLuceneOnly(dataDir, "get", "gh-get-user");
    assertSucceeded(got);
    assertThat(got.out()).contains("\"ability_id\" : \"gh-get-user\"");
    assertThat(runLuceneOnly(dataDir, "query", "--private").out()).contains("gh-create-issue", "slack-post")
        .doesNotContain("gh-get-user");
  }

  @Test
  void infraxaAsThePrimary_importSearchGetSyncStatsAndServe() throws Exception {
    try (FakeInfraxa infraxa = FakeInfraxa.start()) {
      Map<String, String> environment = withPostgres(Map.of("VECTOR_DB_API", infraxa.baseUrl().toString(),
          "VECTOR_DB_TENANT", "cli_test"));

      Result imported = run(environment, "", "import", threeAbilities().toString());
      assertSucceeded(imported);
      assertThat(imported.out()).contains("imported 3 abilities: 3 new", "PostgreSQL: 3 stored");
      assertThat(infraxa.abilityIds("cli_test")).containsExactlyInAnyOrder("gh-get-user", "gh-create-issue",
          "slack-post");
      assertThat(directory.resolve("data/index")).doesNotExist();

      Result search = run(environment, "", "search", "create", "an", "issue", "-k", "2", "--mode", "vector");
      assertSucceeded(search);
      assertThat(search.out().lines().skip(1).findFirst()).hasValueSatisfying(first ->
          assertThat(first).containsPattern("^\\s*1\\s+\\d\\.\\d{3}\\s+gh-create-issue\\s+github"));
      assertThat(search.out()).doesNotContain("degraded");

      Result got = run(environment, "", "get", "gh-get-user");
      assertSucceeded(got);
      assertThat(got.out()).contains("\"ability_id\" : \"gh-get-user\"");

      Result dryRun = run(environment, "", "sync", "--dry-run");
      assertSucceeded(dryRun);
      assertThat(dryRun.out()).contains("scanned:    3 in the index, 3 in PostgreSQL", "to repair:  0");

      JsonNode stats = JSON.readTree(run(environment, "", "stats", "--json").out());
      assertThat(stats.get("primary").get("name").asText()).isEqualTo("infraxa");
      assertThat(stats.get("primary").get("count").asLong()).isEqualTo(3);

      Result reembed = run(environment, "", "reembed");
      assertThat(reembed.exitCode()).isEqualTo(3);
      assertThat(reembed.err()).contains("'reembed' works on the Lucene index", "VECTOR_DB_API");

      try (Served server = new Served(environment, "infraxa")) {
        HttpResponse<String> ready = server.get("/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(JSON.readTree(ready.body()).get("primary").get("name").asText()).isEqualTo("infraxa");
        assertThat(server.log()).doesNotContain("sample catalogue");
      }
    }
  }

  @Test
  void infraxaWithoutPostgres_warnsOnce_getsAndRefusesBackup() throws Exception {
    try (FakeInfraxa infraxa = FakeInfraxa.start()) {
      Map<String, String> environment = Map.of("ABILITYSTORE_EMBEDDER", "hashing", "VECTOR_DB_API",
          infraxa.baseUrl().toString());

      Result imported = run(environment, "", "import", threeAbilities().toString());
      assertSucceeded(imported);
      assertThat(imported.err()).containsOnlyOnce("Infraxa is the primary without PostgreSQL");
      assertThat(infraxa.abilityIds("reverse_engineer")).hasSize(3);

      Result got = run(environment, "", "get", "slack-post");
      assertSucceeded(got);
      assertThat(got.out()).contains("\"ability_id\" : \"slack-post\"");

      Result backup = run(environment, "", "backup", "all.backup.gz");
      assertThat(backup.exitCode()).isEqualTo(3);
      assertThat(backup.err()).contains("cannot list what it holds: set DATABASE_URL");
      assertThat(directory.resolve("all.backup.gz")).doesNotExist();
    }
  }

  @Test
  void search_badMode_isAUsageError() throws Exception {
    Result result = runLuceneOnly(Map.of(), "search", "x", "--mode", "psychic");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("must be vector, keyword or hybrid, was 'psychic'");
  }

  @Test
  void sync_afterImport_dryRunFindsNothingToRepair() throws Exception {
    assertSucceeded(run("import", threeAbilities().toString()));

    Result dryRun = run("sync", "--dry-run");

    assertSucceeded(dryRun);
    assertThat(dryRun.out()).contains("sync primary-to-secondary (dry run: nothing changed)",
        "scanned:    3 in the index, 3 in PostgreSQL", "missing:    0 in the index, 0 in PostgreSQL", "stale:      0",
        "to repair:  0");
    JsonNode json = JSON.readTree(run("sync", "--dry-run", "--json").out());
    assertThat(json.get("dry_run").asBoolean()).isTrue();
    assertThat(json.get("repaired").asLong()).isZero();
    assertThat(json.get("scanned_primary").asLong()).isEqualTo(3);
  }

  @Test
  void sync_repairsARowDeletedByHandInPostgres() throws Exception {
    assertSucceeded(run("import", threeAbilities().toString()));
    database.execute("DELETE FROM abilities WHERE ability_id = 'slack-post'");

    Result sync = run("sync");

    assertSucceeded(sync);
    assertThat(sync.out()).contains("missing:    0 in the index, 1 in PostgreSQL", "repaired:   1")
        .containsPattern("copied-to-secondary\\s+slack-post");
    assertThat(sync.err()).contains("syncing primary-to-secondary");
    assertThat(database.queryLong("SELECT count(*) FROM abilities WHERE ability_id = 'slack-post'")).isOne();
    assertThat(run("sync", "--dry-run").out()).contains("to repair:  0");
  }

  @Test
  void sync_writePostgresRefusesForGood_isSetAsideAndRepairedOnceTheCauseIsGone() throws Exception {
    assertSucceeded(run("import", threeAbilities().toString()));
    database.execute("DELETE FROM abilities WHERE ability_id = 'slack-post'");
    database.execute("ALTER TABLE abilities ADD CONSTRAINT no_slack CHECK (service_name <> 'slack')");

    Result refused = run("sync");

    assertSucceeded(refused);
    assertThat(refused.out()).contains("set aside: 1 writes PostgreSQL still refuses for good");
    assertThat(run("stats").out()).contains("refused by PostgreSQL: 1 writes set aside");

    database.execute("ALTER TABLE abilities DROP CONSTRAINT no_slack");
    Result repaired = run("sync");

    assertSucceeded(repaired);
    assertThat(repaired.out()).doesNotContain("set aside");
    assertThat(database.queryLong("SELECT count(*) FROM abilities WHERE ability_id = 'slack-post'")).isOne();
    assertThat(run("stats").out()).doesNotContain("refused by PostgreSQL");
  }

  @Test
  void sync_withoutDatabaseUrl_saysHowToTurnPostgresOn() throws Exception {
    Result result = runLuceneOnly(Map.of(), "sync");
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.err()).contains("'sync' needs PostgreSQL: set DATABASE_URL");
  }

  @Test
  void sync_badDirection_isAUsageError() throws Exception {
    Result result = run("sync", "--direction", "sideways");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("sync direction must be one of primary-to-secondary, secondary-to-primary, "
        + "bidirectional");
  }

  @Test
  void stats_json_countsBothStores() throws Exception {
    assertSucceeded(run("import", threeAbilities().toString()));

    Result stats = run("stats", "--json");

    assertSucceeded(stats);
    JsonNode json = JSON.readTree(stats.out());
    assertThat(json.get("primary").get("name").asText()).isEqualTo("lucene");
    assertThat(json.get("primary").get("count").asLong()).isEqualTo(3);
    assertThat(json.get("primary").get("status").asText()).isEqualTo("up");
    assertThat(json.get("secondary").get("count").asLong()).isEqualTo(3);
    assertThat(json.get("secondary").get("status").asText()).isEqualTo("up");
    assertThat(json.get("replication").get("depth").asLong()).isZero();
    assertThat(json.get("embedder").get("model").asText()).isEqualTo("hashing-v1");
    assertThat(json.get("embedder").get("dimension").asInt()).isEqualTo(384);
    assertThat(run("stats").out()).containsPattern("PostgreSQL\\s+up\\s+3").contains("replication queue: 0 writes");
  }

  @Test
  void reembed_toAnotherDimension_swapsTheIndexAndUpdatesPostgres() throws Exception {
    assertSucceeded(run("import", threeAbilities().toString()));
    Map<String, String> dimension64 = withPostgres(Map.of("ABILITYSTORE_DIMENSION", "64"));

    Result reembed = run(dimension64, "", "reembed");

    assertSucceeded(reembed);
    assertThat(reembed.out()).contains("re-embedded 3 abilities with hashing-v1 (64 dimensions), replacing "
        + "hashing-v1 (384 dimensions)", "the previous index is kept at", "PostgreSQL: recorded hashing-v1 (64 "
        + "dimensions); sync updated 3 abilities");
    assertThat(database.queryLong("SELECT count(*) FROM abilities WHERE jsonb_array_length(embedding) = 64")).isEqualTo(3);
    try (var entries = Files.list(directory.resolve("data"))) {
      assertThat(entries.map(path -> path.getFileName().toString()))
          .contains("index").anyMatch(name -> name.startsWith("index.before-reembed-"))
          .doesNotContain("index.reembed", "reembed.checkpoint");
    }
    Result search = run(dimension64, "", "search", "get", "user", "-k", "1");
    assertSucceeded(search);
    assertThat(search.out()).contains("gh-get-user");
    assertThat(run(dimension64, "", "sync", "--dry-run").out()).contains("to repair:  0");

    Result again = run(dimension64, "", "reembed");
    assertSucceeded(again);
    assertThat(again.out()).contains("already holds vectors of hashing-v1 (64 dimensions)");

    Result oldDimension = run("search", "user");
    assertThat(oldDimension.exitCode()).isEqualTo(3);
    assertThat(oldDimension.err()).contains("`abilitystore reembed`");
  }

  @Test
  void embedderMismatch_failsAndNamesReembed() throws Exception {
    assertSucceeded(runLuceneOnly(Map.of(), "import", threeAbilities().toString()));

    Result result = run(Map.of("ABILITYSTORE_EMBEDDER", "local"), "", "search", "user");

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.err()).contains("made by the embedding model hashing-v1", "bge-small-en-v1.5",
        "`abilitystore reembed`");
    assertThat(result.err().lines().filter(line -> line.startsWith("abilitystore:"))).hasSize(1);
  }

  @Test
  void import_badRecord_importsNothingAndNamesFileLineAndField() throws Exception {
    Path jsonl = file("bad.jsonl", ability("ok-1", "s", "[]") + "\n"
        + ability("bad id", "s", "[]") + "\n"
        + "{\"ability_id\":\"x\",\"ability_name\":\"n\",\"service_name\":\"s\",\"description\":\"d\","
        + "\"embedding\":[1,2]}\n"
        + "{not json\n");

    Result result = run("import", jsonl.toString());

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.err()).contains("records are invalid; nothing was imported")
        .contains("bad.jsonl:2", "ability_id: must not contain white space")
        .contains("bad.jsonl:3", "embedding: has 2 dimensions, the store holds 384")
        .contains("bad.jsonl:4", "malformed JSON");
    assertThat(database.queryLong("SELECT count(*) FROM abilities")).isZero();
  }

  @Test
  void import_fromStandardInput_andCredentialsAreRedacted() throws Exception {
    String leaky = "{\"ability_id\":\"leaky\",\"ability_name\":\"n\",\"service_name\":\"s\",\"description\":\"d\","
        + "\"metadata\":{\"request_url\":\"https://api.s.com/x\",\"static_headers\":{\"Authorization\":"
        + "\"Bearer sk_live_abcdefghijklmnop12345\"}}}";
    Result result = run(withPostgres(Map.of()), leaky, "import", "-");
    assertSucceeded(result);
    assertThat(result.err()).doesNotContain("sk_live_abcdefghijklmnop12345");
    assertThat(database.queryLong("SELECT count(*) FROM abilities WHERE ability_id = 'leaky' "
        + "AND metadata->'static_headers'->>'Authorization' = '[REDACTED]' AND dynamic_headers_required "
        + "AND dynamic_header_keys = '[\"api.s.com::authorization\"]'")).isOne();
    assertThat(database.queryLong("SELECT count(*) FROM abilities WHERE abilities::text LIKE '%sk_live%'")).isZero();
    assertThat(run("get", "leaky").out()).contains("[REDACTED]").doesNotContain("sk_live");
  }

  @Test
  void badDatabaseUrl_isNamedWithoutThePassword() throws Exception {
    Result result = run(Map.of("DATABASE_URL", "postgresql://user:hunter2@localhost:70000/db"), "", "services");
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.err()).contains("port must be a number from 1 to 65535").doesNotContain("hunter2");
  }

  @Test
  void badStoreSetting_isNamed() throws Exception {
    Result result = runLuceneOnly(Map.of("ABILITYSTORE_QUEUE_MAX_BYTES", "lots"), "services");
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.err()).contains("ABILITYSTORE_QUEUE_MAX_BYTES must be a size");
  }

  @Test
  void unreachableDatabase_importIsQueued_syncExitsUnavailable() throws Exception {
    Map<String, String> unreachable = new HashMap<>(HASHING);
    unreachable.putAll(Map.of("DATABASE_URL", "postgresql://postgres:secret@127.0.0.1:1/db?connect_timeout=1",
        "ABILITYSTORE_PG_CONNECT_TIMEOUT", "1s", "ABILITYSTORE_SECONDARY_TIMEOUT", "1s"));

    Result imported = run(unreachable, "", "import", threeAbilities().toString());
    assertSucceeded(imported);
    assertThat(imported.out()).contains("imported 3 abilities: 3 new", "PostgreSQL: 0 stored, 3 queued");
    assertThat(imported.err()).contains("127.0.0.1:1/db").doesNotContain("secret");

    Result sync = run(unreachable, "", "sync");
    assertThat(sync.exitCode()).isEqualTo(5);
    assertThat(sync.err()).contains("127.0.0.1:1/db").doesNotContain("secret");
  }

  @Test
  void dbMigrate_reportsWhatItApplied() throws Exception {
    Result first = run("db", "migrate");
    assertSucceeded(first);
    assertThat(first.out()).contains("applied V1 create abilities, V2 content hash and scan order");
    assertThat(run("db", "migrate").out()).contains("schema is up to date at version");
  }

  @Test
  void unknownOption_isAUsageError() throws Exception {
    Result result = run(Map.of(), "", "query", "--frobnicate");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("Unknown option: '--frobnicate'");
  }

  /**
   * A running {@code abilitystore serve} on a free port, stopped with SIGTERM by {@link #close()}
   * (and killed if it does not stop), so that no server outlives its test.
   */
  private final class Served implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile(
        "Ability Store listening on (http://127\\.0\\.0\\.1:(\\d+)) \\(dashboard at /, API at /v1, docs at /openapi\\.json\\)");

    final Process process;
    final Path out;
    final Path err;
    final URI uri;

    Served(Map<String, String> environment, String name, String... options) throws Exception {
      List<String> command = new ArrayList<>(List.of(LAUNCHER.toString(), "serve", "--port", "0"));
      command.addAll(List.of(options));
      ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
      builder.environment().keySet().removeIf(variable -> variable.equals("DATABASE_URL")
          || variable.startsWith("ABILITYSTORE_"));
      builder.environment().put("ABILITYSTORE_JAVA_OPTS", "-XX:TieredStopAtLevel=1");
      builder.environment().putAll(environment);
      out = directory.resolve(name + ".out.txt");
      err = directory.resolve(name + ".err.txt");
      process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      URI listening = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (listening == null && process.isAlive() && System.nanoTime() < deadline) {
        Matcher matcher = LISTENING.matcher(Files.readString(out));
        if (matcher.find()) {
          listening = URI.create(matcher.group(1));
        } else {
          process.waitFor(50, TimeUnit.MILLISECONDS);
        }
      }
      if (listening == null) {
        close();
        throw new AssertionError("serve did not say where it listens; stdout:\n" + Files.readString(out) + "\nstderr:\n"
            + Files.readString(err));
      }
      uri = listening;
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri.resolve(path));
      if (headers.length > 0) {
        request.headers(headers);
      }
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    String log() throws IOException {
      return Files.readString(err);
    }

    /** Waits until the server's log holds {@code text}. */
    void awaitLog(String text) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!log().contains(text)) {
        assertThat(System.nanoTime()).as("serve logged '%s' within 30 s; log:%n%s", text, log()).isLessThan(deadline);
        process.waitFor(50, TimeUnit.MILLISECONDS);
      }
    }

    /** Stops the server as a service manager does and returns its exit code. */
    @Override
    public void close() throws Exception {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("serve did not stop within 30 s of SIGTERM");
      }
    }
  }

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void serve_firstStart_loadsTheSampleCatalogueOnce_andAnswersHealth() throws Exception {
    Map<String, String> luceneOnly = Map.of("ABILITYSTORE_EMBEDDER", "hashing");
    long sample;
    try (Served server = new Served(luceneOnly, "first")) {
      HttpResponse<String> health = server.get("/health");
      assertThat(health.statusCode()).isEqualTo(200);
      sample = JSON.readTree(server.get("/v1/stats").body()).get("primary").get("count").asLong();
      assertThat(sample).isGreaterThanOrEqualTo(60);
      assertThat(server.log()).contains("[App] The index is empty: loading the sample catalogue",
          "[App] Loaded the sample catalogue: " + sample + " abilities");
    }
    try (Served again = new Served(luceneOnly, "second")) {
      assertThat(JSON.readTree(again.get("/v1/stats").body()).get("primary").get("count").asLong()).isEqualTo(sample);
      assertThat(again.log()).doesNotContain("sample catalogue");
      again.close();
      assertThat(again.log()).contains("[App] Stopping");
    }
  }

  @Test
  void serve_emptyIndexBesidePostgresWithAbilities_restoresTheIndexFromPostgres_andDeletesNothing() throws Exception {
    assertSucceeded(run("import", threeAbilities().toString()));
    Map<String, String> newDataDirectory = withPostgres(Map.of("ABILITYSTORE_DATA_DIR",
        directory.resolve("new-machine").toString()));

    try (Served server = new Served(newDataDirectory, "restoring")) {
      server.awaitLog("[Sync] Start-up reconciliation");
      assertThat(server.log()).contains("The index is empty and PostgreSQL holds 3 abilities: restoring the index "
          + "from PostgreSQL").doesNotContain("sample catalogue");
      assertThat(JSON.readTree(server.get("/v1/stats").body()).get("primary").get("count").asLong()).isEqualTo(3);
      assertThat(database.queryLong("SELECT count(*) FROM abilities")).isEqualTo(3);
    }
  }

  @Test
  void serve_embedderNone_skipsTheSampleCatalogue_withALogLine() throws Exception {
    try (Served server = new Served(Map.of("ABILITYSTORE_EMBEDDER", "none", "ABILITYSTORE_DIMENSION", "8"), "none")) {
      assertThat(JSON.readTree(server.get("/v1/stats").body()).get("primary").get("count").asLong()).isZero();
      assertThat(server.log()).contains("not loading the sample catalogue: it carries no 8-dimension vectors");
    }
  }

  @Test
  void url_importGetQuerySearchStatsDelete_throughTheServer_withAnApiKey() throws Exception {
    Map<String, String> server = withPostgres(Map.of("ABILITYSTORE_API_KEYS", "cli-test-key-1,cli-test-key-2"));
    try (Served served = new Served(server, "keyed", "--no-sample")) {
      assertThat(served.get("/v1/stats").statusCode()).isEqualTo(401);
      Map<String, String> client = Map.of("ABILITYSTORE_URL", served.uri.toString(), "ABILITYSTORE_API_KEY",
          "cli-test-key-2");

      Result imported = run(client, "", "import", threeAbilities().toString(), "--batch-size", "2");
      assertSucceeded(imported);
      assertThat(imported.out()).contains("imported 3 abilities: 3 new", "PostgreSQL: 3 stored");
      assertThat(database.queryLong("SELECT count(*) FROM abilities WHERE ability_id LIKE 'gh-%'")).isEqualTo(2);

      Result got = run(client, "", "get", "slack-post", "--include-embedding");
      assertSucceeded(got);
      assertThat(got.out()).contains("\"ability_id\" : \"slack-post\"", "\"embedding\"");
      Result missing = run(client, "", "get", "no-such-ability");
      assertThat(missing.exitCode()).isEqualTo(4);
      assertThat(missing.err()).contains("no ability with id 'no-such-ability'");

      assertThat(run(client, "", "query", "--service", "github", "--service", "slack", "--private").out())
          .contains("gh-create-issue", "slack-post").doesNotContain("gh-get-user");
      JsonNode search = JSON.readTree(run(client, "", "search", "create", "an", "issue", "-k", "2", "--service",
          "github", "--json").out());
      assertThat(search.get("results").get(0).get("ability").get("ability_id").asText()).isEqualTo("gh-create-issue");
      assertThat(search.get("count").asInt()).isEqualTo(2);
      assertThat(run(client, "", "services").out()).containsPattern("slack\\s+1\\s+0\\s+1");

      Result stats = run(client, "", "stats", "--json");
      assertSucceeded(stats);
      JsonNode json = JSON.readTree(stats.out());
      assertThat(json.get("secondary").get("status").asText()).isEqualTo("up");
      assertThat(json.get("embedder").get("model").asText()).isEqualTo("hashing-v1");
      long total = json.get("primary").get("count").asLong();
      assertThat(run(client, "", "stats").out()).containsPattern("PostgreSQL\\s+up\\s+" + total);
      assertThat(run(client, "", "sync", "--dry-run").out()).contains("to repair:  0");

      Result deleted = run(client, "", "delete", "slack-post", "never-there");
      assertSucceeded(deleted);
      assertThat(deleted.out()).contains("deleted 1 of 2 abilities");
      assertThat(database.queryLong("SELECT count(*) FROM abilities WHERE ability_id = 'slack-post'")).isZero();

      Result noKey = run(Map.of("ABILITYSTORE_URL", served.uri.toString()), "", "stats");
      assertThat(noKey.exitCode()).isEqualTo(3);
      assertThat(noKey.err()).contains("needs an API key (401", "--api-key");
      Result wrongKey = run(Map.of(), "", "--url", served.uri.toString(), "--api-key", "not-the-key", "stats");
      assertThat(wrongKey.exitCode()).isEqualTo(3);
      assertThat(wrongKey.err()).contains("refused the API key (403").doesNotContain("not-the-key");

      Result reembed = run(client, "", "reembed");
      assertThat(reembed.exitCode()).isEqualTo(2);
      assertThat(reembed.err()).contains("'reembed' works on the data directory", "unset ABILITYSTORE_URL");
      assertThat(run(Map.of(), "", "--url", served.uri.toString(), "backup", "b.gz").err())
          .contains("'backup' works on the data directory and PostgreSQL directly, not through a server: run it "
              + "without --url");
    }
  }

  @Test
  void url_serverNotRunning_exitsUnavailable() throws Exception {
    Result result = run(Map.of(), "", "--url", "http://127.0.0.1:1", "stats");
    assertThat(result.exitCode()).isEqualTo(5);
    assertThat(result.err()).contains("cannot reach the server at http://127.0.0.1:1");
  }

  @Test
  void export_jsonAndJsonl_roundTripThroughImport() throws Exception {
    assertSucceeded(run("import", "--sample", threeAbilities().toString()));
    Result json = run("export", "--output", "export.json");
    assertSucceeded(json);
    assertThat(json.err()).containsPattern("exported \\d+ abilities to export.json");
    JsonNode document = JSON.readTree(directory.resolve("export.json").toFile());
    assertThat(document.get("success").asBoolean()).isTrue();
    int count = document.get("abilities").size();
    assertThat(document.get("count").asInt()).isEqualTo(count).isGreaterThan(60);
    assertThat(document.get("abilities").get(0).has("embedding")).isFalse();
    Result jsonl = run("export", "--format", "jsonl", "--include-embedding");
    assertSucceeded(jsonl);
    assertThat(jsonl.out().lines()).hasSize(count).allSatisfy(line -> assertThat(line).contains("\"embedding\":["));
    file("export.jsonl", jsonl.out());

    Map<String, String> fromJson = Map.of("ABILITYSTORE_DATA_DIR", directory.resolve("from-json").toString());
    assertThat(runLuceneOnly(fromJson, "import", "export.json").out()).contains("imported " + count + " abilities: "
        + count + " new");
    Map<String, String> fromJsonl = Map.of("ABILITYSTORE_DATA_DIR", directory.resolve("from-jsonl").toString());
    assertThat(runLuceneOnly(fromJsonl, "import", "export.jsonl").out()).contains(count + " new", "0 embedded");
    assertThat(lines(runLuceneOnly(fromJsonl, "export", "--format", "jsonl", "--include-embedding").out()))
        .isEqualTo(lines(jsonl.out()));
  }

  @Test
  void backup_fromIndexAndPostgres_restoresIntoIndexAloneAndIntoAFreshPostgres() throws Exception {
    restored.reset();
    assertSucceeded(run("import", "--sample", threeAbilities().toString()));
    List<JsonNode> original = lines(run("export", "--format", "jsonl", "--include-embedding").out());

    Result backup = run("backup", "catalogue.backup.gz");
    assertSucceeded(backup);
    assertThat(backup.out()).contains("backed up " + original.size() + " abilities with their hashing-v1 (384 "
        + "dimensions) vectors to catalogue.backup.gz");

    Map<String, String> luceneOnly = Map.of("ABILITYSTORE_DATA_DIR", directory.resolve("lucene-only").toString());
    Result intoIndex = runLuceneOnly(luceneOnly, "restore", "catalogue.backup.gz");
    assertSucceeded(intoIndex);
    assertThat(intoIndex.out()).contains("restored " + original.size() + " abilities from catalogue.backup.gz",
        original.size() + " new", "PostgreSQL: not configured");
    assertThat(lines(runLuceneOnly(luceneOnly, "export", "--format", "jsonl", "--include-embedding").out()))
        .isEqualTo(original);

    Map<String, String> freshPostgres = new HashMap<>(HASHING);
    freshPostgres.put("DATABASE_URL", databaseUrl(restored.config()));
    freshPostgres.put("ABILITYSTORE_DATA_DIR", directory.resolve("fresh-postgres").toString());
    Result intoPostgres = run(freshPostgres, "", "restore", "catalogue.backup.gz");
    assertSucceeded(intoPostgres);
    assertThat(intoPostgres.out()).contains("PostgreSQL: " + original.size() + " stored");
    assertThat(restored.queryLong("SELECT count(*) FROM abilities")).isEqualTo(original.size());
    assertThat(lines(run(freshPostgres, "", "export", "--format", "jsonl", "--include-embedding").out()))
        .isEqualTo(original);

    Result otherModel = run(Map.of("ABILITYSTORE_EMBEDDER", "local", "ABILITYSTORE_DATA_DIR",
        directory.resolve("local").toString()), "", "restore", "catalogue.backup.gz");
    assertThat(otherModel.exitCode()).isEqualTo(3);
    assertThat(otherModel.err()).contains("holds vectors of hashing-v1 and the store embeds with bge-small-en-v1.5",
        "`abilitystore reembed`", "--force");
    Result otherDimension = runLuceneOnly(Map.of("ABILITYSTORE_DIMENSION", "64", "ABILITYSTORE_DATA_DIR",
        directory.resolve("dimension-64").toString()), "restore", "catalogue.backup.gz");
    assertThat(otherDimension.exitCode()).isEqualTo(3);
    assertThat(otherDimension.err()).contains("holds hashing-v1 (384 dimensions) vectors and the store hashing-v1 (64 "
        + "dimensions) ones");
  }

  /** Returns each line as JSON, so that key order inside metadata does not matter. */
  private static List<JsonNode> lines(String jsonl) throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : jsonl.lines().toList()) {
      nodes.add(JSON.readTree(line));
    }
    return nodes;
  }
}
