package dev.abilitystore.integration;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.app.Main;
import dev.abilitystore.fuzz.TestStores;
import dev.abilitystore.postgres.PostgresConfig;
import dev.abilitystore.postgres.testing.TcpProxy;
import dev.abilitystore.postgres.testing.TestPostgres;
import dev.abilitystore.server.ApiServer;
import dev.abilitystore.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.DocValuesType;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.StoredFieldVisitor;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The secrets property: no credential value given in request headers or in an ability ever
 * reaches either store, the logs, the replication queue, an export, a backup or an answer of the
 * API.
 *
 * <p>Seeded: {@code -Dabilitystore.secrets.seed=N -Dabilitystore.secrets.abilities=N} (defaults
 * 20250917 and 60, about 2,900 values; CI runs the default). Each generated ability carries a
 * fresh random credential in every place of {@link #PLACES} — the redaction policy's places
 * ({@link dev.abilitystore.redaction.CredentialRedactor}): header maps and HAR/Postman header
 * lists, credential-named fields at any depth and in name/value pairs, JSON-schema defaults and
 * examples of credential-named parameters, tokens of known shapes in any text (name,
 * description, code, notes), quoted and unquoted assignments and header lines in text, URL query
 * parameters — and every API call carries more in its headers (the API key, Cookie, X-Api-Key,
 * Proxy-Authorization, a made-up one), as do refused calls (a wrong key, bodies the API rejects).
 *
 * <p>The run: the abilities go through the HTTP API with an API key, half while PostgreSQL is up;
 * then a {@link TcpProxy} cuts PostgreSQL off and the other half, updates of ten and two deletes
 * go to the replication queue, which is scanned then and drains when PostgreSQL is back; every
 * ability is read back through every read route, a sync runs, the command line exports (locally
 * and through {@code --url} with the API key) and backs up. Then every sink is scanned by
 * {@link PlantedSecrets}: every byte of every file under the data directory (Lucene's files, the
 * queue, tombstones), the Lucene index decoded (stored fields, every term, doc values), every row
 * of every table of the database ({@code SELECT t::text}), every log event with the
 * {@code dev.abilitystore} loggers at DEBUG, the command line's output, the export and backup
 * files (unzipped), and every answer's body and headers. Markers meant to be stored must be
 * found in each sink, which proves that the scan reads it.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class CredentialLeakTest extends DualStoreTest {
  private static final long SEED = Long.getLong("abilitystore.secrets.seed", 20_250_917L);
  private static final int ABILITIES = Integer.getInteger("abilitystore.secrets.abilities", 60);
  private static final int DIMENSION = DualStore.DIMENSION;
  private static final int BATCH = 10;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The places of an ability a credential is planted in, as {@link #ability} fills them. */
  static final List<String> PLACES = List.of(
      "description: Bearer token", "description: JWT", "ability_name: Stripe key",
      "metadata.request_url: ?api_key=", "metadata.request_url: ?access_token=",
      "metadata.static_headers.Authorization", "metadata.static_headers.Cookie",
      "metadata.static_headers.X-API-Key", "metadata.static_headers.X-Service-Token",
      "metadata.static_headers.X-Custom-Signature: Token ...",
      "metadata.headers[] (HAR): Proxy-Authorization", "metadata.headers[] (HAR): X-Auth-Token",
      "metadata.dynamic_headers.<host>::authorization", "metadata.recorded.request.headers.apikey",
      "metadata.request.header[] (Postman key/value): Authorization",
      "metadata.auth.bearer[] (Postman key/value): token",
      "metadata.auth.api_key", "metadata.auth.password", "metadata.auth.client_secret",
      "metadata.connection.token", "metadata.connection.secret", "metadata.connection.cookie",
      "metadata.connection.authorization", "metadata.Authorization",
      "metadata.config.providers[].credentials.access_token",
      "metadata.input_schema.properties.api_key.default", "metadata.input_schema.properties.password.examples[]",
      "metadata.input_schema.properties.token.example",
      "metadata.wrapper_code: Authorization: 'Bearer ...'", "metadata.wrapper_code: const apiKey = \"...\"",
      "metadata.curl: -H 'X-Api-Key: ...'", "metadata.notes[]: sk_live_", "metadata.notes[]: ghp_",
      "metadata.notes[]: xoxb-", "metadata.notes[]: sk-proj-");

  private static final List<String> WORDS = List.of("fetch", "invoice", "customer", "list", "create", "update",
      "payment", "order", "shipment", "profile", "repository", "message", "channel", "calendar", "event", "report");

  @TempDir Path outputDirectory;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final List<PlantedSecrets.Findings> findings = new ArrayList<>();
  private final StringBuilder answers = new StringBuilder();
  private final StringBuilder commandOutput = new StringBuilder();
  private @Nullable Level previousLevel;
  private PlantedSecrets secrets = new PlantedSecrets(SEED);
  private String apiKey = "";
  private URI base = URI.create("http://127.0.0.1");

  @BeforeEach
  void captureLogs() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.start();
    root.addAppender(logs);
    Logger application = (Logger) LoggerFactory.getLogger("dev.abilitystore");
    previousLevel = application.getLevel();
    application.setLevel(Level.DEBUG);
  }

  @AfterEach
  void releaseLogs() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    ((Logger) LoggerFactory.getLogger("dev.abilitystore")).setLevel(previousLevel);
  }

  @Test
  void plantedCredentials_reachNoStoreLogQueueExportBackupOrAnswer() throws Exception {
    secrets = new PlantedSecrets(SEED);
    Random random = secrets.random();
    apiKey = "ask_" + secrets.opaque("request header: Authorization: Bearer <API key>");
    Map<String, Map<String, Object>> live = new TreeMap<>();
    Map<String, String> descriptionMarkers = new HashMap<>();
    Set<String> queuedMarkers = new HashSet<>();
    Path queue = dataDirectory.resolve("replication-queue");

    try (TcpProxy proxy = TcpProxy.inFrontOf(database.config())) {
      PostgresConfig postgres = proxy.proxied(database.config());
      try (AbilityStore store = openStore(postgres);
          ApiServer server = ApiServer.start(store, ServerConfig.defaults().withPort(0)
              .withApiKeys(List.of(apiKey)))) {
        base = server.uri();
        int half = ABILITIES / 2;

        // PostgreSQL up: stored in both stores directly.
        for (int start = 0; start < half; start += BATCH) {
          storeBatch(abilities(start, Math.min(start + BATCH, half), live, descriptionMarkers, random));
        }
        refusedRequests();

        // PostgreSQL cut off: new abilities, updates and deletes go to the replication queue.
        proxy.cut();
        for (int start = half; start < ABILITIES; start += BATCH) {
          List<Map<String, Object>> batch = abilities(start, Math.min(start + BATCH, ABILITIES), live,
              descriptionMarkers, random);
          batch.forEach(ability -> queuedMarkers.add(descriptionMarkers.get((String) ability.get("ability_id"))));
          storeBatch(batch);
        }
        List<Map<String, Object>> updates = abilities(0, Math.min(BATCH, half), live, descriptionMarkers, random);
        updates.forEach(ability -> queuedMarkers.add(descriptionMarkers.get((String) ability.get("ability_id"))));
        storeBatch(updates);
        for (String deleted : List.of(id(1), id(half + 1))) {
          call("DELETE", "/v1/abilities/" + deleted, null, 200);
          live.remove(deleted);
        }
        assertThat(store.replication().orElseThrow().depth()).as("writes wait in the queue").isPositive();
        call("POST", "/v1/search", "{\"query\": \"fetch invoice\", \"k\": 5}", 200);
        scanFiles("replication queue while PostgreSQL is down", queue, queuedMarkers);

        proxy.restore();
        DualStore.await("the replication queue drains", Duration.ofSeconds(90),
            () -> store.replication().orElseThrow().depth() == 0);

        readEverythingThroughTheApi(live);
        call("POST", "/v1/sync", "{\"direction\": \"primary-to-secondary\"}", 200);
        runCommand(Map.of("ABILITYSTORE_URL", base.toString(), "ABILITYSTORE_API_KEY", apiKey), "export",
            "--output", outputDirectory.resolve("remote-export.json").toString());
      }
    }

    // The stores closed (usage flushed): the command line works on the data directory itself.
    Path export = outputDirectory.resolve("export.json");
    Path exportWithEmbeddings = outputDirectory.resolve("export.jsonl");
    Path backup = outputDirectory.resolve("backup.jsonl.gz");
    runCommand(Map.of(), "export", "--output", export.toString());
    runCommand(Map.of(), "export", "--format", "jsonl", "--include-embedding", "--output",
        exportWithEmbeddings.toString());
    runCommand(Map.of(), "backup", backup.toString());

    Set<String> liveMarkers = new HashSet<>();
    live.keySet().forEach(id -> liveMarkers.add(descriptionMarkers.get(id)));
    // Lucene's LZ4 may encode a few letters of a group as a back-reference or cut it at a block's end: the raw scan
    // must see nearly every marker, and the decoded scan below sees them all.
    PlantedSecrets.Findings raw = scanFiles("data directory (every file, raw bytes)", dataDirectory, Set.of());
    assertThat(liveMarkers.stream().filter(raw.markers()::contains).count())
        .as("markers seen in the raw bytes of the data directory, of %d", liveMarkers.size())
        .isGreaterThanOrEqualTo(liveMarkers.size() * 9L / 10);
    scanLuceneIndex(dataDirectory.resolve("index"), liveMarkers);
    scanPostgres(liveMarkers);
    scanFile("export (local, json)", export, liveMarkers);
    scanFile("export (--url, json)", outputDirectory.resolve("remote-export.json"), liveMarkers);
    scanFile("export (jsonl, with embeddings)", exportWithEmbeddings, liveMarkers);
    scanFile("backup (gzip)", backup, liveMarkers);
    expect(secrets.scan("API answers (bodies and headers)", answers), liveMarkers);
    expect(secrets.scan("command line output", commandOutput), Set.of());
    expect(secrets.scan("logs", logText()), Set.of());
    assertThat(logText()).as("the logs name the abilities whose credentials were redacted: the log scan reads them")
        .contains("Redacted credentials of ability leak-");

    System.out.printf("secrets: seed %d, %d abilities, %d credential values planted in %d places; sinks: %s%n", SEED,
        ABILITIES, secrets.count(), secrets.countsByPlace().size(), findings.stream()
            .map(found -> found.sink() + " (" + found.markers().size() + " markers seen)").toList());
    List<String> leaks = findings.stream().flatMap(found -> found.describeLeaks().stream()).toList();
    assertThat(leaks).as("%d credential values planted in %d abilities (seed %d) in the places %s; leaks",
        secrets.count(), ABILITIES, SEED, secrets.countsByPlace().keySet()).isEmpty();
  }

  /** The store as the application wires it (Lucene under {@code index}, the usage store), with short waits. */
  private AbilityStore openStore(PostgresConfig postgres) {
    TestStores.Parts parts = TestStores.luceneAndPostgres(dataDirectory, postgres, DIMENSION);
    return parts.builder().usageStore(parts.postgres().usageStore()).build();
  }

  private static String id(int i) {
    return String.format("leak-%05d", i);
  }

  private List<Map<String, Object>> abilities(int from, int to, Map<String, Map<String, Object>> live,
      Map<String, String> descriptionMarkers, Random random) {
    List<Map<String, Object>> batch = new ArrayList<>();
    for (int i = from; i < to; i++) {
      String marker = secrets.marker();
      Map<String, Object> ability = ability(i, marker, random);
      descriptionMarkers.put(id(i), marker);
      live.put(id(i), ability);
      batch.add(ability);
    }
    return batch;
  }

  /** One ability with a fresh credential in every place of {@link #PLACES}. */
  private Map<String, Object> ability(int i, String marker, Random random) {
    String service = List.of("acme", "api.github.com", "billing.example", "slack").get(random.nextInt(4));
    String host = "api." + service.replace("api.", "") + ".example";
    String words = WORDS.get(random.nextInt(WORDS.size())) + " " + WORDS.get(random.nextInt(WORDS.size()));
    Map<String, Object> ability = new LinkedHashMap<>();
    ability.put("ability_id", id(i));
    ability.put("ability_name", "Operation " + i + " " + words + " (key sk_live_" + plant(PLACES.get(2)) + ")");
    ability.put("service_name", service);
    ability.put("description", "Does " + words + " " + marker + ". Call it with Authorization Bearer "
        + plant(PLACES.get(0)) + " or the token " + secrets.jwt(PLACES.get(1)) + ".");
    ability.put("dynamic_header_keys", random.nextBoolean() ? List.of(host + "::authorization") : List.of());

    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("request_method", random.nextBoolean() ? "GET" : "POST");
    metadata.put("request_url", "https://" + host + "/v1/" + words.replace(' ', '/') + "?page=2&api_key="
        + plant(PLACES.get(3)) + "&access_token=" + plant(PLACES.get(4)) + "&q={q}");
    Map<String, Object> staticHeaders = new LinkedHashMap<>();
    staticHeaders.put("Accept", "application/json");
    staticHeaders.put("Authorization", "Bearer " + plant(PLACES.get(5)));
    staticHeaders.put("Cookie", "sid=" + plant(PLACES.get(6)) + "; theme=dark");
    staticHeaders.put("X-API-Key", plant(PLACES.get(7)));
    staticHeaders.put("X-Service-Token", plant(PLACES.get(8)));
    staticHeaders.put("X-Custom-Signature", "Token " + plant(PLACES.get(9)));
    metadata.put("static_headers", staticHeaders);
    metadata.put("headers", List.of(
        Map.of("name", "Proxy-Authorization", "value", "Basic " + plant(PLACES.get(10))),
        Map.of("name", "X-Auth-Token", "value", plant(PLACES.get(11))),
        Map.of("name", "User-Agent", "value", "curl/8.5")));
    metadata.put("dynamic_headers", Map.of(host + "::authorization", plant(PLACES.get(12))));
    metadata.put("recorded", Map.of("request", Map.of("headers", Map.of("apikey", plant(PLACES.get(13)),
        "Content-Type", "application/json"))));
    metadata.put("request", Map.of("header", List.of(
        Map.of("key", "Authorization", "value", plant(PLACES.get(14)), "type", "text"),
        Map.of("key", "Accept", "value", "application/json", "type", "text"))));
    Map<String, Object> auth = new LinkedHashMap<>();
    auth.put("type", "bearer");
    auth.put("bearer", List.of(Map.of("key", "token", "value", plant(PLACES.get(15)), "type", "string")));
    auth.put("api_key", plant(PLACES.get(16)));
    auth.put("password", plant(PLACES.get(17)));
    auth.put("client_secret", plant(PLACES.get(18)));
    metadata.put("auth", auth);
    metadata.put("connection", Map.of("token", plant(PLACES.get(19)), "secret", plant(PLACES.get(20)),
        "cookie", plant(PLACES.get(21)), "authorization", plant(PLACES.get(22)), "region", "eu-west-1"));
    metadata.put("Authorization", plant(PLACES.get(23)));
    metadata.put("config", Map.of("providers", List.of(Map.of("name", "primary",
        "credentials", Map.of("access_token", plant(PLACES.get(24)), "username", "ops")))));
    metadata.put("input_schema", Map.of("type", "object", "properties", Map.of(
        "api_key", Map.of("type", "string", "description", "the caller's key", "default", plant(PLACES.get(25))),
        "password", Map.of("type", "string", "examples", List.of(plant(PLACES.get(26)))),
        "token", Map.of("type", "string", "example", plant(PLACES.get(27))),
        "query", Map.of("type", "string", "description", "what to look for"))));
    metadata.put("wrapper_code", "const response = await fetch(url, {headers: {Authorization: 'Bearer "
        + plant(PLACES.get(28)) + "'}});\nconst apiKey = \"" + plant(PLACES.get(29)) + "\";\nreturn response;");
    metadata.put("curl", "curl -H 'X-Api-Key: " + plant(PLACES.get(30)) + "' https://" + host + "/v1/things");
    metadata.put("notes", List.of("stripe key sk_live_" + plant(PLACES.get(31)), "ghp_" + plant(PLACES.get(32)),
        "slack xoxb-" + plant(PLACES.get(33)), "openai sk-proj-" + plant(PLACES.get(34))));
    ability.put("metadata", metadata);
    return ability;
  }

  private String plant(String place) {
    return secrets.opaque(place);
  }

  /** Headers every call carries: the API key and credentials the server has no use for. */
  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + apiKey)
        .header("Cookie", "session=" + secrets.opaque("request header: Cookie"))
        .header("X-Api-Key", secrets.opaque("request header: X-Api-Key"))
        .header("Proxy-Authorization", "Basic " + secrets.opaque("request header: Proxy-Authorization"))
        .header("X-Upstream-Token", secrets.opaque("request header: X-Upstream-Token"));
  }

  private String call(String method, String path, @Nullable String body, int expectedStatus) {
    HttpRequest.Builder builder = request(path);
    if (body != null) {
      builder.header("Content-Type", "application/json");
    }
    return send(builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body)).build(), expectedStatus);
  }

  private String send(HttpRequest request, int expectedStatus) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      answers.append(response.statusCode()).append(' ').append(response.headers().map()).append('\n')
          .append(response.body()).append('\n');
      assertThat(response.statusCode()).as("%s %s: %s", request.method(), request.uri(), response.body())
          .isEqualTo(expectedStatus);
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private void storeBatch(List<Map<String, Object>> batch) throws IOException {
    call("POST", "/v1/abilities", JSON.writeValueAsString(Map.of("abilities", batch)), 200);
  }

  /** Calls that fail carry credentials too: a wrong key, none, bodies the API refuses. */
  private void refusedRequests() throws IOException {
    String wrongKey = secrets.opaque("request header: wrong API key (403)");
    send(HttpRequest.newBuilder(base.resolve("/v1/stats")).header("Authorization", "Bearer " + wrongKey).build(), 403);
    send(HttpRequest.newBuilder(base.resolve("/v1/abilities")).header("Authorization", "Basic "
        + secrets.opaque("request header: Authorization: Basic (401)")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), 401);
    Map<String, Object> unknownField = new LinkedHashMap<>(ability(ABILITIES + 1, secrets.marker(), new Random(1)));
    unknownField.put("api_key", secrets.opaque("refused body: unknown top-level field api_key"));
    call("POST", "/v1/abilities", JSON.writeValueAsString(unknownField), 400);
    Map<String, Object> wrongType = new LinkedHashMap<>(ability(ABILITIES + 2, secrets.marker(), new Random(2)));
    wrongType.put("description", Map.of("token", secrets.opaque("refused body: description as an object")));
    call("POST", "/v1/abilities", JSON.writeValueAsString(wrongType), 400);
    Map<String, Object> invalid = new LinkedHashMap<>(ability(ABILITIES + 3, secrets.marker(), new Random(3)));
    invalid.put("ability_name", "");
    call("POST", "/v1/abilities", JSON.writeValueAsString(Map.of("abilities", List.of(invalid))), 400);
    call("POST", "/v1/abilities", "{\"ability_id\": \"x\", \"metadata\": {\"password\": \""
        + secrets.opaque("refused body: malformed JSON") + "\"", 400);
  }

  private void readEverythingThroughTheApi(Map<String, Map<String, Object>> live) {
    for (String id : live.keySet()) {
      call("GET", "/v1/abilities/" + id + (id.hashCode() % 2 == 0 ? "?include=embedding" : ""), null, 200);
    }
    String cursor = null;
    do {
      String page = call("GET", "/v1/abilities?limit=7" + (cursor == null ? ""
          : "&cursor=" + URLEncoder.encode(cursor, UTF_8)), null, 200);
      try {
        var next = JSON.readTree(page).get("next_cursor");
        cursor = next == null || next.isNull() ? null : next.asText();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } while (cursor != null);
    call("GET", "/v1/abilities?service_name=acme&dynamic_headers_required=true", null, 200);
    for (String mode : List.of("hybrid", "vector", "keyword")) {
      call("POST", "/v1/search", "{\"query\": \"create customer invoice token\", \"k\": 50, \"mode\": \"" + mode
          + "\"}", 200);
    }
    call("GET", "/v1/services", null, 200);
    call("GET", "/v1/stats", null, 200);
    call("GET", "/metrics", null, 200);
    call("GET", "/ready", null, 200);
    call("GET", "/health", null, 200);
  }

  /** Runs the command line in this JVM on the data directory and this test's database, capturing its output. */
  private void runCommand(Map<String, String> extra, String... args) {
    PostgresConfig config = database.config();
    Map<String, String> environment = new HashMap<>(Map.of(
        "ABILITYSTORE_EMBEDDER", "hashing", "ABILITYSTORE_DIMENSION", Integer.toString(DIMENSION),
        "ABILITYSTORE_DATA_DIR", dataDirectory.toString(), "ABILITYSTORE_SYNC_ON_START", "false",
        "DATABASE_URL", config.jdbcUrl() + (config.user() == null ? "" : "?user=" + config.user())));
    environment.putAll(extra);
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int exitCode;
    try (PrintStream capture = new PrintStream(captured, true, UTF_8)) {
      System.setOut(capture);
      System.setErr(capture);
      exitCode = Main.run(environment, args);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    String output = captured.toString(UTF_8);
    commandOutput.append(output);
    assertThat(exitCode).as("abilitystore %s: %s", String.join(" ", args), output).isZero();
  }

  private void expect(PlantedSecrets.Findings found, Set<String> markers) {
    findings.add(found);
    assertThat(found.markers()).as("markers that %s must hold: the scan must see what is stored there",
        found.sink()).containsAll(markers);
  }

  private void scanFile(String sink, Path file, Set<String> markers) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)
        + (isGzip(bytes) ? "\n" + new String(gunzip(bytes), UTF_8) : "");
    expect(secrets.scan(sink, text), markers);
  }

  /** Scans every file under {@code directory}, raw, and unzipped where it is gzip. */
  private PlantedSecrets.Findings scanFiles(String sink, Path directory, Set<String> markers) throws IOException {
    StringBuilder text = new StringBuilder();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(directory)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertThat(files).as("files of %s", sink).isNotEmpty();
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      text.append(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)).append('\n');
      if (isGzip(bytes)) {
        text.append(new String(gunzip(bytes), UTF_8)).append('\n');
      }
    }
    PlantedSecrets.Findings found = secrets.scan(sink, text);
    expect(found, markers);
    return found;
  }

  private static boolean isGzip(byte[] bytes) {
    return bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
  }

  private static byte[] gunzip(byte[] bytes) throws IOException {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
      return in.readAllBytes();
    }
  }

  /** Scans the index decoded: every stored field of every document, every term, every doc value. */
  private void scanLuceneIndex(Path indexDirectory, Set<String> markers) throws IOException {
    StringBuilder stored = new StringBuilder();
    List<String> terms = new ArrayList<>();
    List<Path> indexes;
    try (Stream<Path> walk = Files.walk(indexDirectory)) {
      indexes = walk.filter(Files::isDirectory).filter(CredentialLeakTest::holdsSegments).toList();
    }
    assertThat(indexes).as("Lucene indexes under %s", indexDirectory).isNotEmpty();
    for (Path path : indexes) {
      try (FSDirectory directory = FSDirectory.open(path); DirectoryReader reader = DirectoryReader.open(directory)) {
        for (LeafReaderContext leaf : reader.leaves()) {
          readLeaf(leaf.reader(), stored, terms);
        }
      }
    }
    expect(secrets.scan("Lucene stored fields and doc values (decoded)", stored), markers);
    expect(secrets.scanTerms("Lucene terms (decoded)", terms), Set.of());
  }

  private static boolean holdsSegments(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      return files.anyMatch(file -> file.getFileName().toString().startsWith("segments_"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void readLeaf(LeafReader leaf, StringBuilder stored, List<String> terms) throws IOException {
    var storedFields = leaf.storedFields();
    StoredFieldVisitor visitor = new StoredFieldVisitor() {
      @Override
      public void stringField(FieldInfo fieldInfo, String value) {
        stored.append(value).append('\n');
      }

      @Override
      public void binaryField(FieldInfo fieldInfo, byte[] value) {
        stored.append(new String(value, java.nio.charset.StandardCharsets.ISO_8859_1)).append('\n');
      }

      @Override
      public Status needsField(FieldInfo fieldInfo) {
        return Status.YES;
      }
    };
    for (int doc = 0; doc < leaf.maxDoc(); doc++) {
      storedFields.document(doc, visitor);
    }
    for (FieldInfo field : leaf.getFieldInfos()) {
      Terms fieldTerms = leaf.terms(field.name);
      if (fieldTerms != null) {
        TermsEnum iterator = fieldTerms.iterator();
        for (BytesRef term = iterator.next(); term != null; term = iterator.next()) {
          terms.add(term.utf8ToString());
        }
      }
      DocValuesType type = field.getDocValuesType();
      if (type == DocValuesType.SORTED) {
        SortedDocValues values = leaf.getSortedDocValues(field.name);
        TermsEnum iterator = values.termsEnum();
        for (BytesRef term = iterator.next(); term != null; term = iterator.next()) {
          stored.append(term.utf8ToString()).append('\n');
        }
      } else if (type == DocValuesType.SORTED_SET) {
        SortedSetDocValues values = leaf.getSortedSetDocValues(field.name);
        TermsEnum iterator = values.termsEnum();
        for (BytesRef term = iterator.next(); term != null; term = iterator.next()) {
          stored.append(term.utf8ToString()).append('\n');
        }
      } else if (type == DocValuesType.BINARY) {
        BinaryDocValues values = leaf.getBinaryDocValues(field.name);
        while (values.nextDoc() != DocIdSetIterator.NO_MORE_DOCS) {
          BytesRef bytes = values.binaryValue();
          stored.append(new String(bytes.bytes, bytes.offset, bytes.length, java.nio.charset.StandardCharsets.ISO_8859_1))
              .append('\n');
        }
      }
    }
  }

  /** Dumps every row of every table of the test's database as text. */
  private void scanPostgres(Set<String> markers) throws SQLException {
    StringBuilder dump = new StringBuilder();
    List<String> tables = new ArrayList<>();
    try (Connection connection = TestPostgres.connect(database.config())) {
      try (Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT format('%I.%I', schemaname, tablename) FROM pg_tables "
              + "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")) {
        while (rows.next()) {
          tables.add(rows.getString(1));
        }
      }
      for (String table : tables) {
        try (PreparedStatement statement = connection.prepareStatement("SELECT t::text FROM " + table + " t");
            ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            dump.append(table).append(": ").append(rows.getString(1)).append('\n');
          }
        }
      }
    }
    assertThat(tables).as("tables of the database").contains("public.abilities", "public.abilitystore_usage",
        "public.abilitystore_settings");
    expect(secrets.scan("PostgreSQL (every row of " + tables + ")", dump), markers);
  }

  private String logText() {
    StringBuilder text = new StringBuilder();
    for (ILoggingEvent event : logs.list) {
      text.append(event.getLevel()).append(' ').append(event.getLoggerName()).append(' ')
          .append(event.getFormattedMessage()).append('\n');
      for (IThrowableProxy thrown = event.getThrowableProxy(); thrown != null; thrown = thrown.getCause()) {
        text.append(thrown.getClassName()).append(": ").append(thrown.getMessage()).append('\n');
        for (StackTraceElementProxy frame : thrown.getStackTraceElementProxyArray()) {
          text.append(frame.getSTEAsString()).append('\n');
        }
      }
    }
    return text.toString();
  }
}
