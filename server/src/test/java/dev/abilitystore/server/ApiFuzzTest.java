package dev.abilitystore.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.abilitystore.Ability;
import dev.abilitystore.fuzz.FuzzSettings;
import dev.abilitystore.fuzz.FuzzSummary;
import dev.abilitystore.postgres.testing.PostgresDatabase;
import dev.abilitystore.testing.Abilities;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seeded bad-input suite of the HTTP API (issue 9): for every operation, body field and
 * parameter of {@code /openapi.json}, malformed and truncated JSON, deep nesting, huge strings,
 * wrong types, NaN and Infinity, dimensions off by one, Unicode edge cases, control characters
 * and path separators, SQL and Lucene syntax, mutations of valid bodies, wrong encodings and
 * content types, oversize bodies, wrong methods and malformed HTTP; then abilities of hostile
 * but valid text stored, found, fetched and deleted through the API. Every answer must be a
 * 4xx problem for invalid input and a 2xx with the literal answer for valid input, never a 5xx
 * or a hang, and the stores must be unchanged by every refused request. Over Lucene with
 * PostgreSQL, and over Lucene alone.
 *
 * <p>{@code -Dfuzz.seed=N} (default {@value FuzzSettings#DEFAULT_SEED}, {@code random} for a new
 * one), {@code -Dfuzz.inputs=N} generated inputs over Lucene and PostgreSQL (default
 * {@value #DEFAULT_INPUTS}; half as many over Lucene alone), {@code -Dfuzz.only=N} to try input N
 * alone. The counts per category go to standard output and to {@code target/fuzz-summary.json}.
 */
class ApiFuzzTest {
  static final int DEFAULT_INPUTS = 1200;
  /** Small enough that oversize bodies are cheap, large enough for 1 MiB of metadata. */
  static final long MAX_BODY_BYTES = 2L << 20;
  /** Abilities whose text holds what a careless LIKE, query parser or path would misread. */
  static final List<Ability> FIXTURES = List.of(
      fixture("sql-quote-1", "'; DROP TABLE abilities; --", "svc'; --", "100% of the_time \\ back\\slash"),
      fixture("lucene-syntax-1", "title:x AND (y", "lucene:*", "a~2 +-!(){}[]^\"~*?:\\/ OR *:*"),
      fixture("unicode-1", "ünïcödé 日本語 🎉", "Ünïcode Sérvice", "e\u0301 İstanbul straße ΣΊΣΥΦΟΣ"),
      fixture("percent_underscore", "50%_off", "%", "_"),
      fixture("quote\"id'", "\"quoted\" 'name'", "_", "tab\tand\nnew line"),
      fixture("ids;with;semicolons", "Semicolons", "path", "a;b=c"),
      fixture("a%2Fb", "Percent two F", "path", "%2F is not a slash"),
      fixture("dots...", "Dots", "path", "..."));

  @RegisterExtension static final PostgresDatabase database = new PostgresDatabase();
  @TempDir static Path postgresDirectory;
  @TempDir static Path luceneDirectory;
  private static final FuzzSettings settings = FuzzSettings.fromSystemProperties(DEFAULT_INPUTS);
  private static final List<FuzzSummary> summaries = new ArrayList<>();

  private static Ability fixture(String id, String name, String service, String description) {
    return Ability.builder(id).name(name).service(service).description(description)
        .embedding(Abilities.vector(id, TestServer.DIMENSION)).build();
  }

  @Test
  void badInput_overLuceneAndPostgres_isRefusedAndChangesNothing() {
    try (TestServer server = TestServer.start(postgresDirectory, database.config(),
        ServerConfig.defaults().withMaxBodyBytes(MAX_BODY_BYTES))) {
      fuzz(server, "lucene+postgres", settings.inputs());
    }
  }

  @Test
  void badInput_overLuceneAlone_isRefusedAndChangesNothing() {
    try (TestServer server = TestServer.startWithoutPostgres(luceneDirectory,
        ServerConfig.defaults().withMaxBodyBytes(MAX_BODY_BYTES))) {
      fuzz(server, "lucene", settings.inputs() / 2);
    }
  }

  private static void fuzz(TestServer server, String backend, int inputs) {
    List<Ability> catalogue = new ArrayList<>(Abilities.catalogue(TestServer.DIMENSION));
    catalogue.addAll(FIXTURES);
    server.store().store(catalogue);
    FuzzSummary summary = new FuzzSummary("http-api " + backend, settings.seed());
    synchronized (summaries) {
      summaries.add(summary);
    }
    summary.start();
    ApiFuzzer fuzzer = new ApiFuzzer(server, settings, backend, summary, MAX_BODY_BYTES);
    fuzzer.run(0, inputs);
    fuzzer.roundTrips(ApiFuzzer.ROUND_TRIPS, Math.max(20, inputs / 40));
    summary.finish();
    System.out.println(summary.line());
    assertThat(fuzzer.failures()).as("%s: %d of %d inputs failed; the first %d:%n%s", backend, summary.failures(),
        summary.inputs(), fuzzer.failures().size(), String.join("\n\n", fuzzer.failures())).isEmpty();
    if (!settings.single()) {
      assertThat(summary.toJson().get("categories").size()).as("categories tried").isGreaterThanOrEqualTo(25);
    }
  }

  /** The suite stays complete: it knows every operation, body field and parameter the document has. */
  @Test
  void everyOperationFieldAndParameterOfTheDocument_isFuzzed() {
    try (TestServer server = TestServer.startWithoutPostgres(luceneDirectory.resolve("document"),
        ServerConfig.defaults())) {
      JsonNode document = server.get("/openapi.json").json();
      Set<String> operations = new TreeSet<>();
      for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
        for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
          String name = operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
          if (!path.getKey().startsWith("/v1/")) {
            continue;
          }
          operations.add(name);
          Set<String> parameters = new TreeSet<>();
          operation.getValue().path("parameters").forEach(parameter -> parameters.add(parameter.get("name").asText()));
          assertThat(ApiInputs.PARAMETERS.getOrDefault(name, Set.of())).as("parameters of %s", name)
              .containsAll(parameters);
          JsonNode body = operation.getValue().path("requestBody").path("content").path("application/json")
              .path("schema");
          Set<String> fields = new TreeSet<>();
          collectFields(document, body, fields);
          assertThat(ApiInputs.BODY_FIELDS.getOrDefault(name, Set.of())).as("body fields of %s", name)
              .containsAll(fields);
        }
      }
      assertThat(ApiInputs.OPERATIONS).containsExactlyInAnyOrderElementsOf(operations);
    }
  }

  private static void collectFields(JsonNode document, JsonNode schema, Set<String> fields) {
    if (schema.has("$ref")) {
      collectFields(document, document.at(schema.get("$ref").asText().substring(1)), fields);
      return;
    }
    schema.path("oneOf").forEach(one -> collectFields(document, one, fields));
    schema.path("properties").fieldNames().forEachRemaining(fields::add);
  }

  @AfterAll
  static void writeSummary() {
    if (!summaries.isEmpty()) {
      FuzzSummary.write(Path.of("target", "fuzz-summary.json"), summaries);
    }
  }
}
