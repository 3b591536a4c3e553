package dev.abilitystore.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.postgres.PostgresConfig;
import dev.abilitystore.postgres.testing.PostgresDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code bin/abilitystore} as a user does, against a throwaway database. */
class CliIT {
  @RegisterExtension
  static final PostgresDatabase database = new PostgresDatabase();

  private static final Path LAUNCHER = Path.of("").toAbsolutePath().getParent().resolve("bin/abilitystore");

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
    builder.environment().remove("DATABASE_URL");
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

  private Result run(String... args) throws Exception {
    return run(Map.of("DATABASE_URL", databaseUrl(database.config())), "", args);
  }

  private Path file(String name, String content) throws IOException {
    return Files.writeString(directory.resolve(name), content);
  }

  private static String ability(String id, String service, String keys) {
    return "{\"ability_id\":\"" + id + "\",\"ability_name\":\"Name of " + id + "\",\"service_name\":\"" + service
        + "\",\"description\":\"Does " + id + "\",\"dynamic_header_keys\":" + keys
        + ",\"metadata\":{\"request_method\":\"GET\",\"request_url\":\"https://" + service + ".example/" + id + "\"}}";
  }

  @BeforeEach
  void emptyDatabase() {
    database.reset();
  }

  @Test
  void help_listsEveryCommandAndTheExitCodes() throws Exception {
    Result help = run(Map.of(), "", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("demo", "db", "import", "query", "get", "delete", "services",
        "Exit codes: 0 success");
    for (String command : List.of("demo", "import", "query", "get", "delete", "services", "db")) {
      assertThat(run(Map.of(), "", command, "--help").exitCode()).as(command + " --help").isZero();
    }
  }

  @Test
  void demo_importsTheSampleCatalogueAndQueriesIt() throws Exception {
    Result demo = run("demo");
    assertThat(demo.exitCode()).as(demo.err()).isZero();
    assertThat(demo.out()).contains("schema version 2", "Imported the sample catalogue", "github-get-user",
        "SERVICE", "TOTAL", "PUBLIC", "PRIVATE");
    assertThat(demo.err()).contains("[DB] Successfully stored");
    assertThat(database.queryLong("SELECT count(*) FROM abilities")).isGreaterThanOrEqualTo(60);

    Result again = run("demo");
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).contains("0 new, 0 updated");
  }

  @Test
  void import_thenQueryGetServicesDelete() throws Exception {
    Path jsonl = file("abilities.jsonl", ability("gh-get-user", "github", "[]") + "\n"
        + ability("gh-create-issue", "github", "[\"api.github.com::authorization\"]") + "\n"
        + ability("slack-post", "slack", "[\"slack.com::authorization\"]") + "\n");

    Result imported = run("import", jsonl.toString());
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(imported.out()).contains("imported 3 abilities: 3 new");

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

    assertThat(run("delete", "slack-post").exitCode()).isZero();
    Result missing = run("get", "slack-post");
    assertThat(missing.exitCode()).isEqualTo(4);
    assertThat(missing.err()).contains("no ability with id 'slack-post'");
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
    Map<String, String> environment = new HashMap<>(Map.of("DATABASE_URL", databaseUrl(database.config())));
    Result result = run(environment, leaky, "import", "-");
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.err()).doesNotContain("sk_live_abcdefghijklmnop12345");
    assertThat(database.queryLong("SELECT count(*) FROM abilities WHERE ability_id = 'leaky' "
        + "AND metadata->'static_headers'->>'Authorization' = '[REDACTED]' AND dynamic_headers_required "
        + "AND dynamic_header_keys = '[\"api.s.com::authorization\"]'")).isOne();
    assertThat(database.queryLong("SELECT count(*) FROM abilities WHERE abilities::text LIKE '%sk_live%'")).isZero();
  }

  @Test
  void withoutDatabaseUrl_commandsSayHowToTurnPostgresOn() throws Exception {
    Result result = run(Map.of(), "", "query");
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.err()).contains("'query' needs PostgreSQL: set DATABASE_URL");
  }

  @Test
  void badDatabaseUrl_isNamedWithoutThePassword() throws Exception {
    Result result = run(Map.of("DATABASE_URL", "postgresql://user:hunter2@localhost:70000/db"), "", "services");
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.err()).contains("port must be a number from 1 to 65535").doesNotContain("hunter2");
  }

  @Test
  void unreachableDatabase_exitsUnavailable() throws Exception {
    Result result = run(Map.of("DATABASE_URL", "postgresql://postgres:secret@127.0.0.1:1/db?connect_timeout=1",
        "ABILITYSTORE_PG_CONNECT_TIMEOUT", "1s"), "", "services");
    assertThat(result.exitCode()).isEqualTo(5);
    assertThat(result.err()).contains("127.0.0.1:1/db").doesNotContain("secret");
  }

  @Test
  void dbMigrate_reportsWhatItApplied() throws Exception {
    Result first = run("db", "migrate");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).contains("applied V1 create abilities, V2 content hash and scan order");
    assertThat(run("db", "migrate").out()).contains("schema is up to date at version 2");
  }

  @Test
  void unknownOption_isAUsageError() throws Exception {
    Result result = run(Map.of(), "", "query", "--frobnicate");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("Unknown option: '--frobnicate'");
  }
}
