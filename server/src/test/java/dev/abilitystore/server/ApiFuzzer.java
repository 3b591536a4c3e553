package dev.abilitystore.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.abilitystore.Ability;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.fuzz.AbilityOracle;
import dev.abilitystore.fuzz.AbilityRecords;
import dev.abilitystore.fuzz.FuzzSettings;
import dev.abilitystore.fuzz.FuzzSummary;
import dev.abilitystore.fuzz.Hostile;
import dev.abilitystore.fuzz.JsonText;
import dev.abilitystore.fuzz.RoundTrip;
import dev.abilitystore.fuzz.StoreFingerprint;
import dev.abilitystore.fuzz.Verdict;
import dev.abilitystore.json.AbilityJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Runs the inputs of {@link ApiInputs} against a server and holds every answer to the rules: no
 * 5xx and no hang; every 4xx an RFC 9457 problem; invalid input refused (413 when too large),
 * valid input accepted with the literal answer; and both stores exactly as before any refused
 * request, any delete of an absent id and any sync, checked by {@link StoreFingerprint}. An
 * accepted store must keep every value exactly (credentials aside, which are redacted), in both
 * stores; it is then deleted again. Collects failures rather than stopping at the first.
 */
final class ApiFuzzer {
  static final String REPRODUCE = "./mvnw -B -ntp verify -pl server -Dtest=ApiFuzzTest";
  private static final int MAX_FAILURES_SHOWN = 40;
  private static final int PROBLEM_MAX_BYTES = 64 * 1024;
  private static final int FINGERPRINT_EVERY = 100;
  /** The numbers of the round trips start here; those of the other inputs below. */
  static final long ROUND_TRIPS = 1_000_000_000L;

  private final TestServer server;
  private final AbilityStore store;
  private final FuzzSettings settings;
  private final String backend;
  private final FuzzSummary summary;
  private final List<Ability> catalogue;
  private final ApiInputs inputs;
  private final AbilityOracle oracle;
  private final HttpClient client;
  private final List<String> failures = new ArrayList<>();
  private StoreFingerprint baseline;
  /** The input tried before the current one and its outcome, for failures that depend on it. */
  private String previous = "none";

  ApiFuzzer(TestServer server, FuzzSettings settings, String backend, FuzzSummary summary, long maxBodyBytes) {
    this.server = server;
    this.store = server.store();
    this.settings = settings;
    this.backend = backend;
    this.summary = summary;
    this.catalogue = scanAll(store);
    this.inputs = new ApiInputs(TestServer.DIMENSION, catalogue, store.secondary().enabled(), maxBodyBytes);
    this.oracle = new AbilityOracle(TestServer.DIMENSION);
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.timeout())
        .build();
    this.baseline = StoreFingerprint.of(store);
  }

  List<String> failures() {
    return failures;
  }

  /** Tries {@code count} generated inputs, numbered from {@code first}. */
  void run(long first, long count) {
    for (long number : settings.numbers(first, count, ROUND_TRIPS).toArray()) {
      FuzzInput input;
      try {
        input = inputs.generate(number, settings.random(number));
      } catch (RuntimeException e) {
        fail(number, "generator", "the generator failed: " + e, null, null);
        continue;
      }
      execute(input);
      if (!input.writes() && (number - first) % FINGERPRINT_EVERY == FINGERPRINT_EVERY - 1) {
        checkUnchanged("inputs " + Math.max(first, number - FINGERPRINT_EVERY + 1) + " to " + number
            + " (reads only)");
      }
    }
    checkUnchanged("the last inputs");
  }

  // ---------------------------------------------------------------------------------------------
  // One input

  private record Answer(int status, String contentType, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  void execute(FuzzInput input) {
    Answer answer;
    try {
      answer = send(input);
    } catch (HttpTimeoutException | java.net.SocketTimeoutException e) {
      summary.count(input.category(), "hang");
      fail(input, "no answer within " + settings.timeout().toSeconds() + " s (a hang)", null);
      restoreIfChanged(input);
      return;
    } catch (IOException e) {
      summary.count(input.category(), "io-error");
      fail(input, "the exchange failed: " + e + " (the input before: " + previous + ")", null);
      previous = "#" + input.number() + " failed";
      restoreIfChanged(input);
      return;
    }
    summary.count(input.category(), answer.status() == 0 ? "no-answer" : Integer.toString(answer.status()));
    check(input, answer);
    if (input.writes()) {
      afterWrite(input, answer);
    }
    previous = "#" + input.number() + " (" + input.category() + ") " + input.route() + " answered " + answer.status();
  }

  private Answer send(FuzzInput input) throws IOException {
    if (input.raw() != null) {
      RawHttp.Answer raw = RawHttp.send(server.server().uri().getHost(), server.server().port(), input.raw(),
          settings.timeout());
      return new Answer(raw.status(), raw.headers().getOrDefault("content-type", ""), raw.body());
    }
    URI uri = URI.create(server.server().uri() + input.target());
    HttpRequest.BodyPublisher publisher;
    byte[] body = input.body();
    if (body == null) {
      publisher = HttpRequest.BodyPublishers.noBody();
    } else if (input.chunked()) {
      publisher = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
    } else {
      publisher = HttpRequest.BodyPublishers.ofByteArray(body);
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(settings.timeout()).method(input.method(),
        publisher);
    input.headers().forEach(request::header);
    try {
      HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
          response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private void check(FuzzInput input, Answer answer) {
    int status = answer.status();
    Verdict verdict = input.verdict();
    if (status == 0) {
      fail(input, "the server closed the connection without an answer", answer);
      return;
    }
    if (status >= 500) {
      fail(input, "a " + status + " for bad input: never a 5xx", answer);
      return;
    }
    if (status >= 400) {
      String problem = problemDefect(answer);
      if (problem != null && !input.method().equals("HEAD")) {
        fail(input, "a " + status + " that is no RFC 9457 problem: " + problem, answer);
      }
    }
    switch (verdict.kind()) {
      case VALID -> {
        if (status < 200 || status > 299) {
          fail(input, "valid input refused with " + status, answer);
          return;
        }
      }
      case INVALID -> {
        if (status < 400) {
          fail(input, "invalid input accepted with " + status, answer);
        }
        return;
      }
      case TOO_LARGE -> {
        if (status != 413) {
          fail(input, "an oversize body answered " + status + " instead of 413", answer);
        }
        return;
      }
      case UNKNOWN -> {
        if (status >= 300) {
          return;
        }
      }
    }
    if (status >= 200 && status < 300 && !input.method().equals("HEAD")) {
      boolean json = input.target().startsWith("/v1/") || input.target().startsWith("/openapi.json")
          || input.target().startsWith("/health") || input.target().startsWith("/ready");
      if (json) {
        JsonNode parsed = AbilityOracle.parse(answer.body());
        if (!answer.contentType().startsWith("application/json") || parsed == null) {
          fail(input, "a " + status + " that is not JSON", answer);
          return;
        }
        if (input.check() != null && verdict.isValid()) {
          try {
            input.check().verify(parsed);
          } catch (AssertionError e) {
            fail(input, e.getMessage(), answer);
          }
        }
      }
    }
  }

  /** What makes the answer no valid problem, or null. */
  private static @Nullable String problemDefect(Answer answer) {
    if (!answer.contentType().startsWith("application/problem+json")) {
      return "content type '" + answer.contentType() + "'";
    }
    if (answer.body().length > PROBLEM_MAX_BYTES) {
      return "a body of " + answer.body().length + " bytes (echoes too much)";
    }
    JsonNode problem = AbilityOracle.parse(answer.body());
    if (!(problem instanceof ObjectNode)) {
      return "a body that is no JSON object";
    }
    if (!problem.path("type").asText().startsWith("urn:abilitystore:problem:")
        || problem.path("title").asText().isBlank() || problem.path("status").asInt() != answer.status()
        || problem.path("detail").asText().isBlank() || !problem.path("instance").asText().startsWith("/")
        || !problem.path("errors").isArray()) {
      return "missing or wrong type, title, status, detail, instance or errors";
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Stores

  private void afterWrite(FuzzInput input, Answer answer) {
    StoreFingerprint after = StoreFingerprint.of(store);
    String difference = after.differenceFrom(baseline);
    boolean accepted = answer.status() >= 200 && answer.status() < 300;
    boolean storing = input.method().equals("POST") && input.target().equals("/v1/abilities") && input.raw() == null;
    if (accepted && storing) {
      List<String> ids = storedIds(answer);
      if (ids == null) {
        fail(input, "a " + answer.status() + " of POST /v1/abilities without its results", answer);
      } else {
        verifyStored(input, answer, ids);
        store.delete(ids);
      }
      checkUnchanged("input #" + input.number() + " after deleting what it stored");
      return;
    }
    if (!difference.isEmpty()) {
      fail(input, (accepted ? "an accepted request that must change nothing" : "a refused request")
          + " changed the stores: " + difference, answer);
      restore();
    }
  }

  private long queueDepth() {
    var replication = store.stats().replication();
    return replication == null ? 0 : replication.depth();
  }

  private static @Nullable List<String> storedIds(Answer answer) {
    JsonNode json = AbilityOracle.parse(answer.body());
    if (json == null || !json.path("results").isArray()) {
      return null;
    }
    List<String> ids = new ArrayList<>();
    json.get("results").forEach(result -> ids.add(result.path("ability_id").asText()));
    return ids;
  }

  /** Every ability of an accepted store is held by both stores exactly as sent (credentials aside). */
  private void verifyStored(FuzzInput input, Answer answer, List<String> ids) {
    JsonNode json = AbilityOracle.parse(answer.body());
    String expectedSecondary = store.secondary().enabled() ? "stored" : "disabled";
    for (JsonNode result : json.get("results")) {
      if (!expectedSecondary.equals(result.path("secondary").asText())) {
        fail(input, "PostgreSQL did not take an accepted ability at once: secondary="
            + result.path("secondary").asText() + " (the replication queue holds " + queueDepth() + " writes)", answer);
      }
    }
    Map<String, ObjectNode> sent = new LinkedHashMap<>();
    JsonNode body = AbilityOracle.parse(input.body() == null ? new byte[0] : input.body());
    if (body == null || AbilityOracle.hasDuplicateFields(input.body())) {
      // which of two values of a field counts is the reader's to say: nothing to compare with
      return;
    }
    JsonNode list = body.has("abilities") && body.fieldNames().next().equals("abilities") ? body.get("abilities")
        : null;
    if (list != null) {
      list.forEach(item -> sent.put(item.path("ability_id").asText(), (ObjectNode) item));
    } else {
      sent.put(body.path("ability_id").asText(), (ObjectNode) body);
    }
    if (!sent.keySet().equals(new java.util.LinkedHashSet<>(ids))) {
      fail(input, "the answer lists " + ids + ", the body holds " + sent.keySet(), answer);
    }
    for (Map.Entry<String, ObjectNode> one : sent.entrySet()) {
      String difference = RoundTrip.difference(store, one.getValue());
      if (difference != null) {
        fail(input, "an accepted ability did not round-trip: " + difference, answer);
      }
    }
  }

  /** Fails, and puts the catalogue back, when the stores are not as they were at the start. */
  void checkUnchanged(String when) {
    StoreFingerprint now = StoreFingerprint.of(store);
    String difference = now.differenceFrom(baseline);
    if (!difference.isEmpty()) {
      failures.add("[" + backend + "] seed=" + settings.seed() + ": the stores changed during " + when + ": "
          + difference);
      summary.failed();
      restore();
    }
  }

  private void restoreIfChanged(FuzzInput input) {
    if (!StoreFingerprint.of(store).differenceFrom(baseline).isEmpty()) {
      fail(input, "the stores changed: " + StoreFingerprint.of(store).differenceFrom(baseline), null);
      restore();
    }
  }

  /** Puts the catalogue back exactly: deletes what is new, stores the rest as it was. */
  private void restore() {
    StoreFingerprint now = StoreFingerprint.of(store);
    List<String> extra = new ArrayList<>(now.ids());
    extra.removeAll(baseline.ids());
    if (!extra.isEmpty()) {
      store.delete(extra);
    }
    store.store(catalogue);
    baseline = StoreFingerprint.of(store);
  }

  // ---------------------------------------------------------------------------------------------
  // Hostile but valid abilities, stored, found, fetched and deleted through the API

  /** Stores {@code count} abilities of hostile but valid text and checks each answer is literal. */
  void roundTrips(long first, int count) {
    for (long number : settings.numbers(first, count, ROUND_TRIPS).toArray()) {
      roundTrip(number, settings.random(number));
    }
    checkUnchanged("the round trips");
  }

  private static final List<String> EXACT_IDS = List.of("Robert');DROP_TABLE_abilities;--", "%", "_", "a%2Fb", "%00",
      "title:x", "*", "?", "#", ";", "é", "🎉", "\"", "'", "a;b", "x?y#z", "+", "~", "...", "-", "'%_\\\\%'", "$1",
      "*:*", "a~2", "(", "[", "{", "&", "=", "@", "!", "ﬁ", "İ", "\uFFFF", "\uDBFF\uDFFF", "e\u0301", "%252F",
      "%2e%2e", "..a", "a..");
  private static final List<String> SPECIAL_IDS = List.of(".", "..");

  private void roundTrip(long number, SplittableRandom random) {
    String id;
    int kind = random.nextInt(10);
    if (kind < 3) {
      id = ApiInputs.pick(random, EXACT_IDS);
    } else if (kind == 3) {
      id = ApiInputs.pick(random, SPECIAL_IDS);
    } else {
      id = Hostile.text(random).replaceAll("[\\s/\\\\\\p{Cntrl}\\p{Cf}]", "_") + "-" + number;
      if (id.length() > 256) {
        id = id.substring(id.length() - 256);
      }
    }
    if (AbilityOracle.idProblem(id) != null || store.primary().get(id).isPresent()) {
      id = "rt-" + number;
    }
    String service = Hostile.text(random).replaceAll("\\p{Cntrl}", " ").strip();
    if (service.isBlank()) {
      service = "rt-service";
    }
    service = service.length() > 200 ? service.substring(0, 200) : service;
    String name = ApiInputs.pick(random, List.of(Hostile.text(random), Hostile.pick(random, Hostile.SQL),
        Hostile.pick(random, Hostile.LUCENE))).replaceAll("\\p{Cntrl}", " ");
    if (name.isBlank()) {
      name = "rt";
    }
    String description = Hostile.text(random) + " " + Hostile.pick(random, Hostile.CONTROL) + " "
        + Hostile.randomUnicode(random, 10);
    LinkedHashMap<String, String> fields = new LinkedHashMap<>();
    fields.put("ability_id", JsonText.quote(id));
    fields.put("ability_name", JsonText.quote(name));
    fields.put("service_name", JsonText.quote(service));
    fields.put("description", JsonText.quote(description));
    if (random.nextBoolean()) {
      fields.put("embedding", AbilityRecords.vector(random, TestServer.DIMENSION));
    }
    fields.put("dynamic_header_keys", "[" + JsonText.quote(Hostile.pick(random, Hostile.printable())
        .replaceAll("\\p{Cntrl}", "") + "::k") + "]");
    fields.put("metadata", "{" + JsonText.quote(Hostile.pick(random, Hostile.printable())) + ": "
        + JsonText.quote(Hostile.text(random)) + ", \"n\": " + ApiInputs.pick(random, List.of("1.50", "-0", "1e300",
        "123456789012345678901234567890", "0.1", "1e-300")) + ", \"l\": [" + JsonText.quote(Hostile.text(random))
        + ", null, true]}");
    if (random.nextInt(3) == 0) {
      Map.Entry<String, Boolean> timestamp = ApiInputs.pick(random, inputs.timestamps().stream()
          .filter(Map.Entry::getValue).toList());
      fields.put("created_at", JsonText.quote(timestamp.getKey()));
      fields.put("updated_at", JsonText.quote(timestamp.getKey()));
    }
    byte[] body = JsonText.utf8(AbilityRecords.render(fields, random));
    Verdict verdict = oracle.judgeStoreBody(body);
    String category = "valid-hostile-roundtrip";
    if (!verdict.isValid()) {
      fail(number, category, "the round-trip generator made an input its model calls " + verdict + ": "
          + JsonText.preview(body, 500), null, null);
      return;
    }
    FuzzInput store = FuzzInput.json(number, category, "POST", "/v1/abilities", body, verdict);
    execute(store);
    // execute() checked the round trip and deleted the ability; store it again to reach it through the API
    Answer stored = sendQuietly(store);
    if (stored == null || stored.status() != 200) {
      return;
    }
    String path = "/v1/abilities/" + ApiInputs.encodePathSegment(id, random);
    Ability held = this.store.primary().get(id).orElse(null);
    if (held == null) {
      fail(store, "the index lacks the ability just stored", stored);
      return;
    }
    JsonNode expected = AbilityOracle.parse(JsonText.utf8(AbilityJson.toJson(held, false)));
    String finalName = name;
    String finalService = service;
    String finalId = id;
    List<FuzzInput> probes = new ArrayList<>();
    probes.add(FuzzInput.json(number, category, "GET", path, (byte[]) null, Verdict.valid())
        .withCheck(answer -> expect(answer.equals(expected), "the ability as stored", answer)));
    String needle = name.codePointCount(0, name.length()) > 12 ? name.substring(0, name.offsetByCodePoints(0, 12))
        : name;
    List<Ability> withIt = new ArrayList<>(catalogue);
    withIt.add(held);
    RequestOracles.ListAsk byText = new RequestOracles.ListAsk(java.util.Set.of(), null, needle, 1000, null, false);
    RequestOracles.ListAsk byService = new RequestOracles.ListAsk(java.util.Set.of(finalService), null, null, 1000, null,
        false);
    if (needle.chars().noneMatch(Character::isISOControl) && !needle.isBlank()) {
      probes.add(FuzzInput.json(number, category, "GET", "/v1/abilities" + ApiInputs.queryString(List.of(
          Map.entry("q", needle), Map.entry("limit", "1000")), random), (byte[]) null, Verdict.valid())
          .withCheck(answer -> expectIds(answer.path("abilities"), RequestOracles.expectedPage(withIt, byText),
              "q taken literally", answer)));
    }
    probes.add(FuzzInput.json(number, category, "GET", "/v1/abilities" + ApiInputs.queryString(List.of(
        Map.entry("service_name", finalService), Map.entry("limit", "1000")), random), (byte[]) null, Verdict.valid())
        .withCheck(answer -> expectIds(answer.path("abilities"), RequestOracles.expectedPage(withIt, byService),
            "service_name taken literally", answer)));
    for (String mode : List.of("vector", "hybrid", "keyword")) {
      String search = "{\"query\": " + JsonText.quote(finalName) + ", \"mode\": \"" + mode + "\", \"k\": 5, "
          + "\"service_name\": " + JsonText.quote(finalService) + "}";
      probes.add(FuzzInput.json(number, category, "POST", "/v1/search", search, Verdict.valid()).withCheck(answer -> {
        List<String> found = new ArrayList<>();
        answer.path("results").forEach(result -> found.add(result.path("ability").path("ability_id").asText()));
        List<String> eligible = RequestOracles.expectedPage(withIt, byService);
        if (mode.equals("keyword")) {
          expect(eligible.containsAll(found), "only abilities of service '" + finalService + "'", answer);
        } else if (eligible.size() <= 5) {
          expect(new java.util.HashSet<>(found).equals(new java.util.HashSet<>(eligible)),
              "every ability of service '" + finalService + "': " + eligible, answer);
        } else {
          expect(found.size() == 5 && eligible.containsAll(found), "5 abilities of service '" + finalService + "'",
              answer);
        }
      }));
    }
    probes.add(FuzzInput.json(number, category, "DELETE", path, (byte[]) null, Verdict.valid()).withCheck(answer -> {
      expect(finalId.equals(answer.path("ability_id").asText()), "ability_id '" + finalId + "'", answer);
      expect(answer.path("deleted").asBoolean(), "deleted true", answer);
    }));
    for (FuzzInput probe : probes) {
      Answer answer;
      try {
        answer = send(probe);
      } catch (IOException e) {
        summary.count(category, "io-error");
        fail(probe, "the exchange failed: " + e, null);
        continue;
      }
      summary.count(category, Integer.toString(answer.status()));
      check(probe, answer);
    }
    if (this.store.primary().get(id).isPresent()) {
      this.store.delete(List.of(id));
    }
    checkUnchanged("the round trip of '" + id + "'");
  }

  private @Nullable Answer sendQuietly(FuzzInput input) {
    try {
      return send(input);
    } catch (IOException e) {
      return null;
    }
  }

  private static void expectIds(JsonNode abilities, List<String> expected, String what, JsonNode answer) {
    List<String> actual = new ArrayList<>();
    abilities.forEach(ability -> actual.add(ability.path("ability_id").asText()));
    expect(actual.equals(expected), what + ": " + expected, answer);
  }

  private static void expect(boolean condition, String what, JsonNode answer) {
    if (!condition) {
      throw new AssertionError("the answer must show " + what + "; it was "
          + JsonText.preview(JsonText.utf8(answer.toString()), 300));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Failures

  private void fail(FuzzInput input, String problem, @Nullable Answer answer) {
    fail(input.number(), input.category(), input.route() + ": " + problem + "\n  verdict: " + input.verdict(), answer,
        input);
  }

  private void fail(long number, String category, String problem, @Nullable Answer answer, @Nullable FuzzInput input) {
    summary.failed();
    if (failures.size() >= MAX_FAILURES_SHOWN) {
      return;
    }
    StringBuilder message = new StringBuilder().append('[').append(backend).append("] seed=").append(settings.seed())
        .append(" input #").append(number).append(" (").append(category).append(") ").append(problem);
    if (answer != null) {
      message.append("\n  answer: ").append(answer.status()).append(' ').append(answer.contentType()).append(' ')
          .append(JsonText.preview(answer.body(), 800));
    }
    if (input != null) {
      message.append("\n  input: ").append(input.describe());
    }
    message.append("\n  reproduce: ").append(settings.reproduce(REPRODUCE, number));
    failures.add(message.toString());
  }

  static List<Ability> scanAll(AbilityStore store) {
    List<Ability> all = new ArrayList<>();
    String after = null;
    while (true) {
      var page = store.primary().scan(after, 500);
      all.addAll(page.items());
      if (page.nextCursor() == null || page.items().isEmpty()) {
        return all;
      }
      after = page.items().get(page.items().size() - 1).abilityId();
    }
  }
}
