package dev.abilitystore.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.abilitystore.Ability;
import dev.abilitystore.Embedding;
import dev.abilitystore.json.AbilityJson;
import dev.abilitystore.testing.Abilities;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One closed-loop client of {@link SustainedLoadTest}: sends a request of a weighted random
 * {@link Operation}, reads and checks the whole answer, and sends the next, until the shared
 * {@link Budget} is spent. It reads every ability but writes only the mutable abilities it owns
 * (index modulo the number of workers), one request at a time, so the last acknowledged state of
 * each of them — a description naming its version, or deleted — is known exactly.
 *
 * <p>An answer is an error when its status is not the expected 2xx (a get of another worker's
 * ability may also answer 404: deleted), when the request failed, or when its body contradicts what
 * was asked or acknowledged (a stale read, a result outside the filter, a delete that found nothing).
 * The ids of a write that ended in an error are uncertain from then on, and left alone.
 *
 * <p>Not thread-safe: one thread runs it, and its results are read after that thread has ended.
 */
final class LoadWorker implements Runnable {
  /** Abilities no one writes: every worker reads them. */
  static final int STABLE = 1_000;
  /** Abilities the workers store, update and delete, each owned by one worker. */
  static final int MUTABLE = 1_000;
  static final int STORE_BATCH = 10;
  static final String SEED_VERSION = "seed";
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final int ERROR_SAMPLES = 5;
  private static final int ERROR_BODY_CHARS = 300;
  private static final List<String> SERVICES =
      List.of("github", "stripe", "Open Meteo", "pokeapi", "api.slack.com", "Google Calendar", "maps");
  private static final List<String> WORDS = List.of("fetch", "invoice", "customer", "list", "create", "update",
      "payment", "order", "shipment", "profile", "repository", "message", "channel", "calendar", "event", "report",
      "issue", "comment", "user", "team", "forecast", "weather", "price", "product", "refund", "subscription",
      "webhook", "token", "search", "location", "route", "playlist");
  /** What the searches ask: a fixed set, so that the store's cache of query embeddings fills early. */
  static final List<String> QUERIES = queries(256);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the workers send, with its share of the requests in percent. */
  enum Operation {
    SEARCH_VECTOR(14), SEARCH_KEYWORD(14), SEARCH_HYBRID(14), GET(25), LIST(15), STORE_BATCH(5), UPDATE(8),
    DELETE(5);

    private static final int TOTAL_WEIGHT = Arrays.stream(values()).mapToInt(operation -> operation.weight).sum();
    private final int weight;

    Operation(int weight) {
      this.weight = weight;
    }

    String figureName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Operation pick(SplittableRandom random) {
      int ticket = random.nextInt(TOTAL_WEIGHT);
      for (Operation operation : values()) {
        ticket -= operation.weight;
        if (ticket < 0) {
          return operation;
        }
      }
      throw new AssertionError("weights sum to " + TOTAL_WEIGHT);
    }
  }

  /** Shared by the workers: no request starts after the deadline, nor beyond the request count. */
  record Budget(AtomicInteger started, int maxRequests, long deadlineNanos) {
    static Budget of(int maxRequests, Duration bound) {
      return new Budget(new AtomicInteger(), maxRequests, System.nanoTime() + bound.toNanos());
    }

    boolean take() {
      return System.nanoTime() < deadlineNanos && started.getAndIncrement() < maxRequests;
    }
  }

  private final int workerIndex;
  private final int workers;
  private final HttpClient client;
  private final URI base;
  private final Budget budget;
  private final SplittableRandom random;
  private final Map<String, @Nullable String> expected = new HashMap<>();
  private final Set<String> uncertain = new HashSet<>();
  private final Map<Operation, Timings> timings = new EnumMap<>(Operation.class);
  private final Map<String, Integer> errors = new TreeMap<>();
  private final List<String> errorSamples = new ArrayList<>();
  private final Map<String, Integer> secondaryStates = new TreeMap<>();
  private final List<String> inFlight = new ArrayList<>();
  private int acknowledgedWrites;
  private int acknowledgedDeletes;
  private int versions;
  private int notFound;
  private Operation sending = Operation.GET;
  private @Nullable String listQuery;
  private @Nullable String listCursor;

  LoadWorker(int workerIndex, int workers, HttpClient client, URI base, Budget budget, long seed) {
    this.workerIndex = workerIndex;
    this.workers = workers;
    this.client = client;
    this.base = base;
    this.budget = budget;
    this.random = new SplittableRandom(seed * 31 + workerIndex);
    for (int index = workerIndex; index < MUTABLE; index += workers) {
      expected.put(mutableId(index), ability(mutableId(index), index, SEED_VERSION, null).description());
    }
    for (Operation operation : Operation.values()) {
      timings.put(operation, new Timings());
    }
  }

  /** Returns the seeded catalogue: every stable and every mutable ability at version {@value #SEED_VERSION}. */
  static List<Ability> seed() {
    List<Ability> abilities = new ArrayList<>(STABLE + MUTABLE);
    for (int index = 0; index < STABLE; index++) {
      abilities.add(ability(stableId(index), index, SEED_VERSION, null));
    }
    for (int index = 0; index < MUTABLE; index++) {
      abilities.add(ability(mutableId(index), index, SEED_VERSION, null));
    }
    return abilities;
  }

  static String stableId(int index) {
    return String.format(Locale.ROOT, "stable-%04d", index);
  }

  static String mutableId(int index) {
    return String.format(Locale.ROOT, "mutable-%04d", index);
  }

  /** Returns ability {@code index} at {@code version}; the store embeds it when {@code embedding} is null. */
  static Ability ability(String abilityId, int index, String version, @Nullable Embedding embedding) {
    String service = SERVICES.get(index % SERVICES.size());
    SplittableRandom words = new SplittableRandom(index);
    String text = String.join(" ", word(words), word(words), word(words), word(words));
    Ability.Builder builder = Ability.builder(abilityId)
        .name("Ability " + abilityId)
        .service(service)
        .description(text + " (" + abilityId + " version " + version + ")")
        .embedding(embedding)
        .metadata(Map.of("request_method", "GET", "request_url", "https://api.example.com/" + abilityId));
    if (index % 3 == 0) {
      builder.dynamicHeaderKey("api.example.com::authorization");
    }
    return builder.build();
  }

  private static List<String> queries(int count) {
    SplittableRandom random = new SplittableRandom(count);
    List<String> queries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      queries.add(word(random) + " " + word(random) + (random.nextBoolean() ? " " + word(random) : ""));
    }
    return List.copyOf(queries);
  }

  private static String word(SplittableRandom random) {
    return WORDS.get(random.nextInt(WORDS.size()));
  }

  @Override
  public void run() {
    while (budget.take()) {
      sending = Operation.pick(random);
      try {
        perform(sending);
      } catch (WrongAnswer e) {
        error(e.kind, e.getMessage());
      } catch (IOException | RuntimeException e) {
        error(e.getClass().getSimpleName(), e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        error("interrupted", e.toString());
        return;
      }
    }
  }

  private void perform(Operation operation) throws IOException, InterruptedException {
    switch (operation) {
      case SEARCH_VECTOR, SEARCH_KEYWORD, SEARCH_HYBRID -> search(operation);
      case GET -> get();
      case LIST -> list();
      case STORE_BATCH -> storeBatch();
      case UPDATE -> update();
      case DELETE -> delete();
    }
  }

  private void search(Operation operation) throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    body.put("query", QUERIES.get(random.nextInt(QUERIES.size())));
    body.put("mode", operation.figureName().substring("search_".length()));
    int k = 5 + random.nextInt(16);
    body.put("k", k);
    String service = random.nextInt(3) == 0 ? SERVICES.get(random.nextInt(SERVICES.size())) : null;
    if (service != null) {
      body.putArray("service_name").add(service);
    }
    Boolean requiresAuth = random.nextInt(4) == 0 ? random.nextBoolean() : null;
    if (requiresAuth != null) {
      body.put("dynamic_headers_required", requiresAuth);
    }
    JsonNode answer = json(send(operation, post("/v1/search", JSON.writeValueAsString(body)), 200));
    JsonNode results = answer.path("results");
    check(results.size() <= k, "too many results", results.size() + " results for k = " + k);
    check(!answer.path("degraded").asBoolean(), "degraded", "search answered degraded with the primary up");
    for (JsonNode result : results) {
      checkFilters(result.path("ability"), service, requiresAuth);
    }
  }

  /**
   * Gets a stable ability, one of this worker's live ones (both must hold what was acknowledged),
   * or another worker's, which that worker may be writing or may have deleted (404).
   */
  private void get() throws IOException, InterruptedException {
    int kind = random.nextInt(3);
    String owned = kind == 1 ? ownedId(true) : null;
    if (kind == 2) {
      int index = random.nextInt(MUTABLE);
      if (index % workers != workerIndex) {
        int status = sendExpecting(Operation.GET, request("/v1/abilities/" + mutableId(index)).GET(), 200, 404)
            .statusCode();
        if (status == 404) {
          notFound++;
        }
        return;
      }
    }
    String abilityId;
    String description;
    if (owned == null) {
      int index = random.nextInt(STABLE);
      abilityId = stableId(index);
      description = ability(abilityId, index, SEED_VERSION, null).description();
    } else {
      abilityId = owned;
      description = Objects.requireNonNull(expected.get(owned));
    }
    JsonNode answer = json(send(Operation.GET, request("/v1/abilities/" + abilityId).GET(), 200));
    check(description.equals(answer.path("description").asText()), "stale read",
        abilityId + " answered '" + answer.path("description").asText() + "', acknowledged '" + description + "'");
  }

  private void list() throws IOException, InterruptedException {
    String query;
    if (listQuery != null && listCursor != null && random.nextBoolean()) {
      query = listQuery + "&cursor=" + encoded(listCursor);
    } else {
      String service = SERVICES.get(random.nextInt(SERVICES.size()));
      String limit = "limit=" + (1 + random.nextInt(100));
      listQuery = switch (random.nextInt(3)) {
        case 0 -> "service_name=" + encoded(service) + "&" + limit;
        case 1 -> "dynamic_headers_required=" + random.nextBoolean() + "&" + limit;
        default -> "q=" + word(random) + "&" + limit;
      };
      query = listQuery;
    }
    JsonNode answer = json(send(Operation.LIST, request("/v1/abilities?" + query).GET(), 200));
    String service = parameter(query, "service_name");
    String requiresAuth = parameter(query, "dynamic_headers_required");
    for (JsonNode ability : answer.path("abilities")) {
      checkFilters(ability, service, requiresAuth == null ? null : Boolean.valueOf(requiresAuth));
    }
    JsonNode next = answer.path("next_cursor");
    listCursor = next.isTextual() ? next.asText() : null;
  }

  private void storeBatch() throws IOException, InterruptedException {
    Set<Integer> indexes = new LinkedHashSet<>();
    for (int attempt = 0; attempt < STORE_BATCH * 4 && indexes.size() < STORE_BATCH; attempt++) {
      int index = ownedIndex();
      if (!uncertain.contains(mutableId(index))) {
        indexes.add(index);
      }
    }
    String version = nextVersion();
    List<Ability> batch = indexes.stream().map(index -> ability(mutableId(index), index, version, null)).toList();
    String body = batch.stream().map(ability -> AbilityJson.toJson(ability, false))
        .collect(Collectors.joining(",", "{\"abilities\":[", "]}"));
    write(Operation.STORE_BATCH, batch, body);
  }

  private void update() throws IOException, InterruptedException {
    String abilityId = ownedId(true);
    if (abilityId == null) {
      abilityId = ownedId(false);
    }
    if (abilityId == null) {
      get();
      return;
    }
    String version = nextVersion();
    Ability ability = ability(abilityId, index(abilityId), version, Abilities.vector(abilityId + version,
        DualStore.DIMENSION));
    write(Operation.UPDATE, List.of(ability), AbilityJson.toJson(ability, true));
  }

  private void write(Operation operation, List<Ability> abilities, String body)
      throws IOException, InterruptedException {
    abilities.forEach(ability -> inFlight.add(ability.abilityId()));
    JsonNode answer = json(send(operation, post("/v1/abilities", body), 200));
    JsonNode results = answer.path("results");
    check(results.size() == abilities.size(), "wrong answer",
        results.size() + " results for " + abilities.size() + " abilities");
    for (int i = 0; i < abilities.size(); i++) {
      JsonNode result = results.get(i);
      check(abilities.get(i).abilityId().equals(result.path("ability_id").asText()), "wrong answer",
          "result " + i + " names " + result.path("ability_id"));
      secondaryStates.merge(result.path("secondary").asText(), 1, Integer::sum);
    }
    for (Ability ability : abilities) {
      expected.put(ability.abilityId(), ability.description());
    }
    acknowledgedWrites += abilities.size();
    inFlight.clear();
  }

  private void delete() throws IOException, InterruptedException {
    String abilityId = ownedId(true);
    if (abilityId == null) {
      update();
      return;
    }
    inFlight.add(abilityId);
    JsonNode answer = json(send(Operation.DELETE, request("/v1/abilities/" + abilityId).DELETE(), 200));
    check(answer.path("deleted").asBoolean(), "wrong answer", abilityId + " was not there to delete");
    secondaryStates.merge(answer.path("secondary").asText(), 1, Integer::sum);
    expected.put(abilityId, null);
    acknowledgedDeletes++;
    inFlight.clear();
  }

  private String send(Operation operation, HttpRequest.Builder request, int expectedStatus)
      throws IOException, InterruptedException {
    return sendExpecting(operation, request, expectedStatus, expectedStatus).body();
  }

  private HttpResponse<String> sendExpecting(Operation operation, HttpRequest.Builder request, int expectedStatus,
      int alsoExpected) throws IOException, InterruptedException {
    sending = operation;
    HttpRequest built = request.build();
    long started = System.nanoTime();
    HttpResponse<String> response;
    try {
      response = client.send(built, HttpResponse.BodyHandlers.ofString());
    } finally {
      timings.get(operation).add(System.nanoTime() - started);
    }
    int status = response.statusCode();
    if (status != expectedStatus && status != alsoExpected) {
      String body = response.body();
      throw new WrongAnswer("status " + status, operation.figureName() + " " + built.uri().getRawPath()
          + " answered " + status + ": "
          + (body.length() > ERROR_BODY_CHARS ? body.substring(0, ERROR_BODY_CHARS) + "..." : body));
    }
    return response;
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(REQUEST_TIMEOUT);
  }

  private HttpRequest.Builder post(String path, String json) {
    return request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
  }

  private static JsonNode json(String body) throws IOException {
    return JSON.readTree(body);
  }

  private static void checkFilters(JsonNode ability, @Nullable String service, @Nullable Boolean requiresAuth) {
    String abilityId = ability.path("ability_id").asText();
    check(service == null || service.equals(ability.path("service_name").asText()), "outside filter",
        abilityId + " is of service " + ability.path("service_name") + ", asked " + service);
    check(requiresAuth == null || requiresAuth == ability.path("dynamic_headers_required").asBoolean(),
        "outside filter", abilityId + " requires auth " + ability.path("dynamic_headers_required") + ", asked "
            + requiresAuth);
  }

  private static void check(boolean condition, String kind, String message) {
    if (!condition) {
      throw new WrongAnswer(kind, message);
    }
  }

  private static @Nullable String parameter(String query, String name) {
    for (String pair : query.split("&")) {
      if (pair.startsWith(name + "=")) {
        return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static String encoded(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private int ownedIndex() {
    int owned = (MUTABLE - workerIndex + workers - 1) / workers;
    return workerIndex + workers * random.nextInt(owned);
  }

  /** Returns an owned id that is not uncertain (and is live, when asked), or null when none turned up. */
  private @Nullable String ownedId(boolean live) {
    for (int attempt = 0; attempt < 50; attempt++) {
      String abilityId = mutableId(ownedIndex());
      if (!uncertain.contains(abilityId) && (!live || expected.get(abilityId) != null)) {
        return abilityId;
      }
    }
    return null;
  }

  private static int index(String mutableId) {
    return Integer.parseInt(mutableId.substring("mutable-".length()));
  }

  private String nextVersion() {
    return "w" + workerIndex + "." + ++versions;
  }

  private void error(String kind, String message) {
    uncertain.addAll(inFlight);
    inFlight.clear();
    errors.merge(sending.figureName() + ": " + kind, 1, Integer::sum);
    if (errorSamples.size() < ERROR_SAMPLES) {
      errorSamples.add(message);
    }
  }

  /**
   * Returns the latencies of the requests of {@code operation} (from sending the built request to
   * the last byte of the answer), in nanoseconds, in the order sent.
   */
  long[] nanos(Operation operation) {
    return timings.get(operation).toArray();
  }

  /** Returns the errors by operation and kind (status, exception or contradiction). */
  Map<String, Integer> errors() {
    return errors;
  }

  /** Returns the first few errors in full. */
  List<String> errorSamples() {
    return errorSamples;
  }

  /** Returns the description each owned ability was last acknowledged with, null for deleted. */
  Map<String, @Nullable String> expected() {
    return expected;
  }

  /** Returns the ids of writes that ended in an error: their state is unknown. */
  Set<String> uncertain() {
    return uncertain;
  }

  /** Returns how often each write was acknowledged with PostgreSQL {@code stored}, {@code queued}, .... */
  Map<String, Integer> secondaryStates() {
    return secondaryStates;
  }

  /** Returns the abilities stored or updated with a 2xx answer. */
  int acknowledgedWrites() {
    return acknowledgedWrites;
  }

  /** Returns how many gets of another worker's abilities found them deleted. */
  int notFound() {
    return notFound;
  }

  int acknowledgedDeletes() {
    return acknowledgedDeletes;
  }

  /** An answer that contradicts what was asked or acknowledged. */
  private static final class WrongAnswer extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String kind;

    WrongAnswer(String kind, String message) {
      super(message, null, false, false);
      this.kind = kind;
    }
  }

  /** Latencies in nanoseconds, in a growing array. */
  private static final class Timings {
    private long[] nanos = new long[1024];
    private int count;

    void add(long elapsedNanos) {
      if (count == nanos.length) {
        nanos = Arrays.copyOf(nanos, count * 2);
      }
      nanos[count++] = elapsedNanos;
    }

    long[] toArray() {
      return Arrays.copyOf(nanos, count);
    }
  }
}
