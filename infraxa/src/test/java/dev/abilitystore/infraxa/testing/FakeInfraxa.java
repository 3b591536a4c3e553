package dev.abilitystore.infraxa.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.abilitystore.testing.Vectors;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The Infraxa HTTP API of {@code shared/INFRAXA-API.md}, in process, on a free loopback port.
 *
 * <p>Strict like the real service: 400 for malformed JSON, missing fields or a vector whose
 * dimension is not the collection's, 404 for an unknown workspace, collection or vector, 409
 * {@code {"error": "... already exists"}} when a workspace or collection is created twice.
 * Vectors are inserted or replaced by id; a query ranks by exact cosine distance ({@code 1 - cos},
 * ties by id) and answers {@code ids}, {@code distances}, {@code attributes} and {@code count}.
 * {@code GET .../vectors/{id}} answers {@code {"id": n, "attributes": {...}}} — never the vector,
 * as documented. Knowledge-graph endpoints are not implemented (404).
 *
 * <p>Faults, for resilience tests: {@link #failNext} answers 503 to the next calls,
 * {@link #delayEachCall} holds every answer back, {@link #dropNext} applies the next matching calls and
 * then closes the connection halfway through the answer, {@link #down} answers 503 to every call
 * ({@code /health} included) until {@link #up}. Thread-safe.
 */
public final class FakeInfraxa implements AutoCloseable {
  private static final Pattern BLOBS = Pattern.compile("/tenants/([^/]+)/blobs");
  private static final Pattern BLOB = Pattern.compile("/tenants/([^/]+)/blobs/([^/]+)");
  private static final Pattern VECTORS = Pattern.compile("/tenants/([^/]+)/blobs/([^/]+)/vectors");
  private static final Pattern QUERY = Pattern.compile("/tenants/([^/]+)/blobs/([^/]+)/query");
  private static final Pattern VECTOR = Pattern.compile("/tenants/([^/]+)/blobs/([^/]+)/vectors/(\\d+)");
  private static final Pattern ATTRIBUTES = Pattern.compile("/tenants/([^/]+)/blobs/([^/]+)/vectors/(\\d+)/attributes");
  private static final Pattern TENANT = Pattern.compile("/tenants/([^/]+)");

  private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, Map<String, Blob>> tenants = new ConcurrentHashMap<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final AtomicInteger dropsLeft = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger vectorsApplied = new AtomicInteger();
  private volatile Duration delay = Duration.ZERO;
  private volatile boolean down;
  private volatile Pattern dropPattern = Pattern.compile(".*");

  private record Entry(float[] vector, JsonNode attributes) {}

  private record Blob(String type, int dimension, Map<Long, Entry> vectors) {}

  private record Answer(int status, JsonNode body) {}

  private FakeInfraxa() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts a fake with no workspaces on a free loopback port. */
  public static FakeInfraxa start() {
    return new FakeInfraxa();
  }

  /** Returns the base URL, the value of {@code VECTOR_DB_API}. */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The next {@code calls} requests are answered 503 without being applied. */
  public void failNext(int calls) {
    failuresLeft.set(calls);
  }

  /** Every call, {@code /health} included, is answered 503 without being applied, until {@link #up}. */
  public void down() {
    down = true;
  }

  /** Calls are served again after {@link #down}. */
  public void up() {
    down = false;
  }

  /** Every answer is held back by {@code delay} ({@link Duration#ZERO} for none). */
  public void delayEachCall(Duration delay) {
    this.delay = delay;
  }

  /**
   * The next {@code calls} requests whose {@code "METHOD /path"} matches {@code request} (a
   * regular expression) are applied, then their connection is dropped mid-answer.
   */
  public void dropNext(int calls, String request) {
    dropPattern = Pattern.compile(request);
    dropsLeft.set(calls);
  }

  /** Returns how many requests reached the fake. */
  public int requests() {
    return requests.get();
  }

  /** Returns how many vectors insert calls have written, counting a replacement again. */
  public int vectorsApplied() {
    return vectorsApplied.get();
  }

  /** Returns the collection names of a workspace (empty if it does not exist). */
  public List<String> blobs(String tenant) {
    return List.copyOf(new TreeMap<>(tenants.getOrDefault(tenant, Map.of())).keySet());
  }

  /** Returns the attributes of one vector, as stored, if it exists. */
  public @Nullable JsonNode attributes(String tenant, String blob, long id) {
    Blob found = tenants.getOrDefault(tenant, Map.of()).get(blob);
    Entry entry = found == null ? null : found.vectors().get(id);
    return entry == null ? null : entry.attributes().deepCopy();
  }

  /** Returns the stored vector of one id, if it exists: a look behind the API for tests. */
  public float @Nullable [] vector(String tenant, String blob, long id) {
    Blob found = tenants.getOrDefault(tenant, Map.of()).get(blob);
    Entry entry = found == null ? null : found.vectors().get(id);
    return entry == null ? null : entry.vector().clone();
  }

  /**
   * Returns the {@code ability_id} attribute of every vector of the workspace: what PostgreSQL
   * would hold, standing in for it where a test needs an id source.
   */
  public List<String> abilityIds(String tenant) {
    List<String> ids = new ArrayList<>();
    for (Blob blob : tenants.getOrDefault(tenant, Map.of()).values()) {
      synchronized (blob) {
        for (Entry entry : blob.vectors().values()) {
          JsonNode id = entry.attributes().get("ability_id");
          if (id != null && id.isTextual()) {
            ids.add(id.asText());
          }
        }
      }
    }
    return ids;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      Duration wait = delay;
      if (!wait.isZero()) {
        try {
          Thread.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      byte[] requestBody = exchange.getRequestBody().readAllBytes();
      if (down || failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
        send(exchange, new Answer(503, error("service unavailable, retry later")));
        return;
      }
      Answer answer;
      try {
        answer = route(exchange.getRequestMethod(), exchange.getRequestURI(), requestBody);
      } catch (JsonProcessingException e) {
        answer = new Answer(400, error("malformed JSON: " + e.getOriginalMessage()));
      } catch (BadRequest e) {
        answer = new Answer(400, error(e.getMessage()));
      }
      boolean dropThis = dropPattern.matcher(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath())
          .matches() && dropsLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
      if (dropThis) {
        byte[] bytes = json.writeValueAsBytes(answer.body());
        exchange.sendResponseHeaders(answer.status(), bytes.length + 100L);
        exchange.getResponseBody().write(bytes, 0, bytes.length / 2);
        exchange.getResponseBody().flush();
        return;
      }
      send(exchange, answer);
    }
  }

  private void send(HttpExchange exchange, Answer answer) throws IOException {
    byte[] bytes = json.writeValueAsBytes(answer.body());
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(answer.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private Answer route(String method, URI uri, byte[] body) throws IOException {
    String path = uri.getPath();
    boolean confirmed = "confirm=true".equals(uri.getQuery());
    Matcher matcher;
    if (path.equals("/health") && method.equals("GET")) {
      return ok(json.createObjectNode().put("status", "ok"));
    }
    if (path.equals("/tenants")) {
      return switch (method) {
        case "POST" -> createTenant(object(body));
        case "GET" -> {
          ArrayNode list = json.createArrayNode();
          new TreeMap<>(tenants).keySet().forEach(list::add);
          yield ok(json.createObjectNode().set("tenants", list));
        }
        default -> notAllowed();
      };
    }
    if ((matcher = ATTRIBUTES.matcher(path)).matches() && method.equals("PUT")) {
      Blob blob = blob(matcher);
      if (blob == null) {
        return unknownBlob(matcher);
      }
      JsonNode attributes = object(body);
      synchronized (blob) {
        Entry entry = blob.vectors().get(Long.parseLong(matcher.group(3)));
        if (entry == null) {
          return unknownVector(matcher.group(3));
        }
        blob.vectors().put(Long.parseLong(matcher.group(3)), new Entry(entry.vector(), attributes));
      }
      return ok(json.createObjectNode().put("updated", true));
    }
    if ((matcher = VECTOR.matcher(path)).matches()) {
      Blob blob = blob(matcher);
      if (blob == null) {
        return unknownBlob(matcher);
      }
      long id = Long.parseLong(matcher.group(3));
      synchronized (blob) {
        Entry entry = blob.vectors().get(id);
        if (entry == null) {
          return unknownVector(matcher.group(3));
        }
        return switch (method) {
          case "GET" -> ok(json.createObjectNode().put("id", id).set("attributes", entry.attributes().deepCopy()));
          case "DELETE" -> {
            blob.vectors().remove(id);
            yield ok(json.createObjectNode().put("deleted", true));
          }
          default -> notAllowed();
        };
      }
    }
    if ((matcher = VECTORS.matcher(path)).matches() && method.equals("POST")) {
      return insert(matcher, object(body));
    }
    if ((matcher = QUERY.matcher(path)).matches() && method.equals("POST")) {
      return query(matcher, object(body));
    }
    if ((matcher = BLOB.matcher(path)).matches() && method.equals("DELETE")) {
      if (!confirmed) {
        throw new BadRequest("dropping a collection needs ?confirm=true");
      }
      Map<String, Blob> blobs = tenants.get(matcher.group(1));
      if (blobs == null || blobs.remove(matcher.group(2)) == null) {
        return unknownBlob(matcher);
      }
      return ok(json.createObjectNode().put("deleted", true));
    }
    if ((matcher = BLOBS.matcher(path)).matches()) {
      Map<String, Blob> blobs = tenants.get(matcher.group(1));
      if (blobs == null) {
        return new Answer(404, error("tenant '" + matcher.group(1) + "' not found"));
      }
      return switch (method) {
        case "POST" -> createBlob(blobs, object(body));
        case "GET" -> {
          ArrayNode list = json.createArrayNode();
          new TreeMap<>(blobs).forEach((name, blob) -> list.addObject().put("blob_id", name)
              .put("blob_type", blob.type()).put("dimension", blob.dimension()).put("count", blob.vectors().size()));
          yield ok(json.createObjectNode().set("blobs", list));
        }
        default -> notAllowed();
      };
    }
    if ((matcher = TENANT.matcher(path)).matches() && method.equals("DELETE")) {
      if (!confirmed) {
        throw new BadRequest("dropping a tenant needs ?confirm=true");
      }
      if (tenants.remove(matcher.group(1)) == null) {
        return new Answer(404, error("tenant '" + matcher.group(1) + "' not found"));
      }
      return ok(json.createObjectNode().put("deleted", true));
    }
    return new Answer(404, error("no route " + method + " " + path));
  }

  private Answer createTenant(JsonNode body) {
    String tenant = text(body, "tenant_id");
    if (tenants.putIfAbsent(tenant, new ConcurrentHashMap<>()) != null) {
      return new Answer(409, error("tenant '" + tenant + "' already exists"));
    }
    return new Answer(201, json.createObjectNode().put("tenant_id", tenant));
  }

  private Answer createBlob(Map<String, Blob> blobs, JsonNode body) {
    String name = text(body, "blob_id");
    String type = body.path("blob_type").asText("dense");
    if (!type.equals("dense") && !type.equals("kge")) {
      throw new BadRequest("blob_type must be dense or kge, was " + type);
    }
    JsonNode dimension = body.get("dimension");
    if (dimension == null || !dimension.canConvertToInt() || dimension.asInt() < 1) {
      throw new BadRequest("dimension must be a positive integer");
    }
    if (blobs.putIfAbsent(name, new Blob(type, dimension.asInt(), new java.util.HashMap<>())) != null) {
      return new Answer(409, error("blob '" + name + "' already exists"));
    }
    return new Answer(201, json.createObjectNode().put("blob_id", name));
  }

  private Answer insert(Matcher matcher, JsonNode body) {
    Blob blob = blob(matcher);
    if (blob == null) {
      return unknownBlob(matcher);
    }
    JsonNode vectors = array(body, "vectors");
    JsonNode ids = array(body, "ids");
    JsonNode attributes = body.get("attributes");
    if (ids.size() != vectors.size() || (attributes != null && (!attributes.isArray()
        || attributes.size() != vectors.size()))) {
      throw new BadRequest("vectors, ids and attributes must have the same length");
    }
    List<Long> parsedIds = new ArrayList<>();
    List<float[]> parsedVectors = new ArrayList<>();
    for (int i = 0; i < vectors.size(); i++) {
      if (!ids.get(i).canConvertToLong() || ids.get(i).asLong() < 0) {
        throw new BadRequest("ids[" + i + "] must be a non-negative integer");
      }
      parsedIds.add(ids.get(i).asLong());
      parsedVectors.add(vector(vectors.get(i), blob.dimension(), "vectors[" + i + "]"));
    }
    synchronized (blob) {
      for (int i = 0; i < parsedIds.size(); i++) {
        JsonNode attribute = attributes == null ? json.createObjectNode() : attributes.get(i);
        blob.vectors().put(parsedIds.get(i), new Entry(parsedVectors.get(i), attribute.deepCopy()));
        vectorsApplied.incrementAndGet();
      }
    }
    return ok(json.createObjectNode().put("inserted", parsedIds.size()));
  }

  private Answer query(Matcher matcher, JsonNode body) {
    Blob blob = blob(matcher);
    if (blob == null) {
      return unknownBlob(matcher);
    }
    float[] query = vector(body.get("query"), blob.dimension(), "query");
    JsonNode k = body.get("k");
    if (k == null || !k.canConvertToInt() || k.asInt() < 1) {
      throw new BadRequest("k must be a positive integer");
    }
    record Ranked(long id, double distance, JsonNode attributes) {}
    List<Ranked> ranked = new ArrayList<>();
    synchronized (blob) {
      blob.vectors().forEach((id, entry) ->
          ranked.add(new Ranked(id, 1 - Vectors.cosine(query, entry.vector()), entry.attributes().deepCopy())));
    }
    ranked.sort(Comparator.comparingDouble(Ranked::distance).thenComparingLong(Ranked::id));
    ObjectNode answer = json.createObjectNode();
    ArrayNode ids = answer.putArray("ids");
    ArrayNode distances = answer.putArray("distances");
    ArrayNode attributes = answer.putArray("attributes");
    List<Ranked> top = ranked.subList(0, Math.min(k.asInt(), ranked.size()));
    for (Ranked hit : top) {
      ids.add(hit.id());
      distances.add(hit.distance());
      attributes.add(hit.attributes());
    }
    answer.put("count", top.size());
    return ok(answer);
  }

  private float[] vector(@Nullable JsonNode node, int dimension, String field) {
    if (node == null || !node.isArray()) {
      throw new BadRequest(field + " must be an array of numbers");
    }
    if (node.size() != dimension) {
      throw new BadRequest(field + " has dimension " + node.size() + ", the collection holds " + dimension);
    }
    float[] values = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      if (!node.get(i).isNumber()) {
        throw new BadRequest(field + "[" + i + "] is not a number");
      }
      values[i] = node.get(i).floatValue();
    }
    return values;
  }

  private @Nullable Blob blob(Matcher matcher) {
    Map<String, Blob> blobs = tenants.get(matcher.group(1));
    return blobs == null ? null : blobs.get(matcher.group(2));
  }

  private Answer unknownBlob(Matcher matcher) {
    return tenants.containsKey(matcher.group(1))
        ? new Answer(404, error("blob '" + matcher.group(2) + "' not found"))
        : new Answer(404, error("tenant '" + matcher.group(1) + "' not found"));
  }

  private Answer unknownVector(String id) {
    return new Answer(404, error("vector " + id + " not found"));
  }

  private JsonNode object(byte[] body) throws IOException {
    JsonNode node = json.readTree(body);
    if (node == null || !node.isObject()) {
      throw new BadRequest("body must be a JSON object");
    }
    return node;
  }

  private static JsonNode array(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || !node.isArray()) {
      throw new BadRequest(field + " must be an array");
    }
    return node;
  }

  private static String text(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || !node.isTextual() || node.asText().isEmpty()) {
      throw new BadRequest(field + " must be a non-empty string");
    }
    return node.asText();
  }

  private Answer ok(JsonNode body) {
    return new Answer(200, body);
  }

  private Answer notAllowed() {
    return new Answer(405, error("method not allowed"));
  }

  private JsonNode error(String message) {
    return json.createObjectNode().put("error", message);
  }

  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message, null, false, false);
    }
  }

}
