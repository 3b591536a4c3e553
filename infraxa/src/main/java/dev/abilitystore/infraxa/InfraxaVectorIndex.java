package dev.abilitystore.infraxa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.AbilityStoreException;
import dev.abilitystore.DimensionMismatchException;
import dev.abilitystore.Embedding;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.Page;
import dev.abilitystore.ServiceCount;
import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.identity.AbilityIdOrder;
import dev.abilitystore.identity.ContentHash;
import dev.abilitystore.infraxa.InfraxaClient.Answer;
import dev.abilitystore.infraxa.InfraxaClient.Call;
import dev.abilitystore.port.Health;
import dev.abilitystore.port.SearchHit;
import dev.abilitystore.port.SearchMode;
import dev.abilitystore.port.UpsertReport;
import dev.abilitystore.port.VectorIndex;
import dev.abilitystore.port.VectorSearch;
import dev.abilitystore.port.WriteOutcome;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The primary store on the hosted Infraxa vector database, in the original system's layout (see
 * {@link AbilityAttributes}): a workspace written by either system is read and searched by the other.
 *
 * <p>Design notes.
 * <ul>
 *   <li>Nothing is contacted on open; the workspace and each collection are created on first
 *       write, idempotently (409 "already exists" is success), and an existing collection's
 *       dimension is checked against {@link InfraxaConfig#dimension()}.
 *   <li>Upsert reads the vector id of each ability in its collection first: another ability id
 *       there, or two ability ids of one batch on one vector id, is refused with
 *       {@link VectorIdCollisionException} before anything is written. That read also gives the
 *       stored content hash (unchanged abilities are not written) and {@code created_at}. Inserts
 *       are batched under {@link InfraxaConfig#maxBodyBytes()}. When an insert gets no answer,
 *       the index reads back the content hashes and sends again only what is missing, so an
 *       acknowledged write is present and none is applied twice unseen. The read-then-write is
 *       not atomic on the server: the store's per-id locks keep our own writers apart, but
 *       another system writing the same workspace at the same moment could still race it.
 *   <li>An ability id alone does not name its collection, so {@link #get} and {@link #delete}
 *       list the collections and look up the ability's vector id in each (with bounded
 *       parallelism), keeping copies whose {@code ability_id} matches. An ability moved to another
 *       service leaves its old copy behind until deleted; {@link #get} returns the newest copy.
 *   <li>Search queries one collection per requested service, or every {@code abilities_*}
 *       collection of the store's dimension, and merges by distance. The API has no attribute filter, so filters run on
 *       each collection's ranked list, over-fetching (k, 4k, 16k, ...) until k abilities pass or
 *       the collection is exhausted: filters apply before the cut, never by dropping results.
 *       Score = (2 − cosine distance) / 2 = (1 + cosine) / 2, Lucene's scale. The API has no
 *       text search: keyword and hybrid modes are refused.
 *   <li>The API cannot list vectors: {@link #scan}, {@link #query}, {@link #count} and
 *       {@link #serviceCounts} walk the ids of the {@link IdSource} (PostgreSQL in the
 *       application) and fetch each; see {@link IdSource} for a deployment without PostgreSQL.
 * </ul>
 * Thread-safe.
 */
public final class InfraxaVectorIndex implements VectorIndex {
  private static final int ID_PAGE = 200;

  private final InfraxaConfig config;
  private final IdSource idSource;
  private final InstantSource clock;
  private final InfraxaClient client;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Set<String> readyBlobs = ConcurrentHashMap.newKeySet();
  private volatile boolean tenantReady;
  private volatile boolean closed;

  private record Stored(String blob, Ability ability, String contentHash) {}

  private record Ranked(Ability ability, double distance) {}

  private record Blob(String name, int dimension) {}

  private InfraxaVectorIndex(InfraxaConfig config, IdSource idSource, InstantSource clock) {
    this.config = config;
    this.idSource = idSource;
    this.clock = clock;
    this.client = new InfraxaClient(config, clock);
  }

  /** Returns an index over the configured workspace; nothing is contacted until the first call. */
  public static InfraxaVectorIndex open(InfraxaConfig config, IdSource idSource) {
    return open(config, idSource, InstantSource.system());
  }

  /** Like {@link #open(InfraxaConfig, IdSource)}, with timestamps and the breaker's time from {@code clock}. */
  public static InfraxaVectorIndex open(InfraxaConfig config, IdSource idSource, InstantSource clock) {
    return new InfraxaVectorIndex(config, idSource, clock);
  }

  @Override
  public String name() {
    return "infraxa";
  }

  @Override
  public int dimension() {
    return config.dimension();
  }

  /** Returns the circuit breaker's state, for readiness and metrics. */
  public BreakerState breakerState() {
    return client.breaker().state();
  }

  @Override
  public UpsertReport upsert(List<Ability> abilities) {
    ensureOpen();
    Map<String, Ability> byId = new LinkedHashMap<>();
    for (Ability ability : abilities) {
      Embedding embedding = ability.embedding();
      if (embedding == null) {
        throw new InvalidInputException("ability '" + ability.abilityId() + "' has no embedding");
      }
      if (embedding.dimension() != config.dimension()) {
        throw new DimensionMismatchException(config.dimension(), embedding.dimension(), "ability '"
            + ability.abilityId() + "' has an embedding of " + embedding.dimension() + " dimensions, the index holds "
            + config.dimension());
      }
      byId.put(ability.abilityId(), ability);
    }
    Map<String, String> holderOfSlot = new java.util.HashMap<>();
    for (Ability ability : byId.values()) {
      String blob = AbilityAttributes.blobName(ability.serviceName());
      String other = holderOfSlot.putIfAbsent(blob + "#" + ability.vectorId(), ability.abilityId());
      if (other != null) {
        throw new VectorIdCollisionException(ability.abilityId(), other, ability.vectorId(), blob);
      }
    }
    if (byId.isEmpty()) {
      return UpsertReport.empty();
    }
    ensureTenant();
    byId.values().stream().map(ability -> AbilityAttributes.blobName(ability.serviceName())).distinct()
        .forEach(this::ensureBlob);
    List<Ability> pending = List.copyOf(byId.values());
    List<Optional<Stored>> existing = parallel(pending, ability ->
        fetch(AbilityAttributes.blobName(ability.serviceName()), ability.vectorId()));
    Map<String, WriteOutcome> outcomes = new LinkedHashMap<>();
    Map<String, List<Ability>> writesByBlob = new LinkedHashMap<>();
    Instant now = clock.instant();
    for (int i = 0; i < pending.size(); i++) {
      Ability ability = pending.get(i);
      Stored stored = existing.get(i).orElse(null);
      String blob = AbilityAttributes.blobName(ability.serviceName());
      if (stored != null && !stored.ability().abilityId().equals(ability.abilityId())) {
        throw new VectorIdCollisionException(ability.abilityId(), stored.ability().abilityId(), ability.vectorId(), blob);
      }
      if (stored != null && stored.contentHash().equals(ContentHash.of(ability))) {
        outcomes.put(ability.abilityId(), WriteOutcome.UNCHANGED);
        continue;
      }
      Instant createdAt = ability.createdAt() != null ? ability.createdAt()
          : stored != null && stored.ability().createdAt() != null ? stored.ability().createdAt() : now;
      Instant updatedAt = ability.updatedAt() != null ? ability.updatedAt() : now;
      outcomes.put(ability.abilityId(), stored == null ? WriteOutcome.INSERTED : WriteOutcome.UPDATED);
      writesByBlob.computeIfAbsent(blob, name -> new ArrayList<>()).add(ability.withTimestamps(createdAt, updatedAt));
    }
    writesByBlob.forEach(this::insert);
    return new UpsertReport(outcomes);
  }

  private void insert(String blob, List<Ability> abilities) {
    List<Ability> batchAbilities = new ArrayList<>();
    long batchBytes = 64;
    for (Ability ability : abilities) {
      long bytes = bodyBytes(insertBody(List.of(ability)));
      if (bytes > config.maxBodyBytes()) {
        throw new InvalidInputException("ability '" + ability.abilityId() + "' alone needs about " + bytes
            + " bytes, over the Infraxa body limit of " + config.maxBodyBytes() + " bytes (maxBodyBytes)");
      }
      if (!batchAbilities.isEmpty() && batchBytes + bytes > config.maxBodyBytes()) {
        sendInsert(blob, batchAbilities);
        batchAbilities = new ArrayList<>();
        batchBytes = 64;
      }
      batchAbilities.add(ability);
      batchBytes += bytes;
    }
    if (!batchAbilities.isEmpty()) {
      sendInsert(blob, batchAbilities);
    }
  }

  private long bodyBytes(ObjectNode body) {
    try {
      return client.json.writeValueAsBytes(body).length;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AbilityStoreException("[Infraxa] cannot serialise an insert body", e);
    }
  }

  private void sendInsert(String blob, List<Ability> abilities) {
    try {
      expectOk(client.send("POST", blobPath(blob) + "/vectors", insertBody(abilities), Call.INSERT), "insert");
    } catch (InfraxaClient.OutcomeUnknownException unknown) {
      List<Ability> missing = new ArrayList<>();
      List<Optional<Stored>> present = parallel(abilities, ability -> fetch(blob, ability.vectorId()));
      for (int i = 0; i < abilities.size(); i++) {
        Ability ability = abilities.get(i);
        Stored stored = present.get(i).orElse(null);
        if (stored == null || !stored.ability().abilityId().equals(ability.abilityId())
            || !stored.contentHash().equals(ContentHash.of(ability))
            || !ability.updatedAt().equals(stored.ability().updatedAt())) {
          missing.add(ability);
        }
      }
      if (!missing.isEmpty()) {
        expectOk(client.send("POST", blobPath(blob) + "/vectors", insertBody(missing), Call.INSERT), "insert");
      }
    }
  }

  private ObjectNode insertBody(List<Ability> abilities) {
    ObjectNode body = client.json.createObjectNode();
    ArrayNode vectors = body.putArray("vectors");
    ArrayNode ids = body.putArray("ids");
    ArrayNode attributes = body.putArray("attributes");
    for (Ability ability : abilities) {
      ArrayNode vector = vectors.addArray();
      for (float value : ability.embedding().toArray()) {
        vector.add(value);
      }
      ids.add(ability.vectorId());
      attributes.add(AbilityAttributes.of(client.json, ability));
    }
    return body;
  }

  @Override
  public void delete(Collection<String> abilityIds) {
    ensureOpen();
    List<Blob> blobs = blobs();
    for (Stored stored : locate(List.copyOf(abilityIds), blobs).values().stream().flatMap(List::stream).toList()) {
      Answer answer = client.send("DELETE", blobPath(stored.blob()) + "/vectors/" + stored.ability().vectorId(), null,
          Call.READ_OR_IDEMPOTENT);
      if (!answer.ok() && answer.status() != 404) {
        throw failure("delete", answer);
      }
    }
  }

  @Override
  public Optional<Ability> get(String abilityId) {
    return getAll(List.of(abilityId)).stream().findFirst();
  }

  @Override
  public List<Ability> getAll(Collection<String> abilityIds) {
    ensureOpen();
    if (abilityIds.isEmpty()) {
      return List.of();
    }
    List<Ability> found = new ArrayList<>();
    for (List<Stored> copies : locate(List.copyOf(abilityIds), blobs()).values()) {
      copies.stream().map(Stored::ability)
          .max(Comparator.comparing(ability -> Optional.ofNullable(ability.updatedAt()).orElse(Instant.MIN)))
          .ifPresent(found::add);
    }
    return found;
  }

  /** Returns every stored copy of each ability id, looked up by vector id in every collection. */
  private Map<String, List<Stored>> locate(List<String> abilityIds, List<Blob> blobs) {
    record Probe(String abilityId, String blob) {}
    List<Probe> probes = new ArrayList<>();
    for (String abilityId : abilityIds) {
      for (Blob blob : blobs) {
        probes.add(new Probe(abilityId, blob.name()));
      }
    }
    List<Optional<Stored>> answers = parallel(probes, probe ->
        fetch(probe.blob(), dev.abilitystore.identity.VectorIds.of(probe.abilityId())));
    Map<String, List<Stored>> copies = new LinkedHashMap<>();
    for (int i = 0; i < probes.size(); i++) {
      String abilityId = probes.get(i).abilityId();
      answers.get(i).filter(stored -> stored.ability().abilityId().equals(abilityId))
          .ifPresent(stored -> copies.computeIfAbsent(abilityId, id -> new ArrayList<>()).add(stored));
    }
    return copies;
  }

  @Override
  public List<SearchHit> search(VectorSearch search) {
    ensureOpen();
    if (search.mode() != SearchMode.VECTOR) {
      throw new InvalidInputException("the Infraxa index has no text search, so mode "
          + search.mode().name().toLowerCase(java.util.Locale.ROOT) + " is not available; search with mode vector");
    }
    Embedding vector = search.vector();
    if (vector == null) {
      throw new InvalidInputException("vector search needs a vector");
    }
    if (vector.dimension() != config.dimension()) {
      throw new DimensionMismatchException(config.dimension(), vector.dimension(), "the query vector has "
          + vector.dimension() + " dimensions, the index holds " + config.dimension());
    }
    if (search.filter().textContains() != null) {
      throw new InvalidInputException("search does not take a text_contains filter (it would drop ranked results); "
          + "use a structured query");
    }
    Set<String> wanted = search.filter().serviceNames().stream().map(AbilityAttributes::blobName)
        .collect(Collectors.toSet());
    List<String> targets = blobs().stream()
        .filter(blob -> blob.dimension() == config.dimension())
        .map(Blob::name)
        .filter(name -> wanted.isEmpty() || wanted.contains(name)).toList();
    List<Ranked> merged = new ArrayList<>();
    parallel(targets, blob -> searchBlob(blob, vector, search.k(), search.filter())).forEach(merged::addAll);
    merged.sort(Comparator.comparingDouble(Ranked::distance)
        .thenComparing(ranked -> ranked.ability().abilityId(), AbilityIdOrder.COMPARATOR));
    return merged.stream().limit(search.k())
        .map(ranked -> new SearchHit(ranked.ability().withEmbedding(null),
            Math.min(1.0, Math.max(0.0, (2 - ranked.distance()) / 2))))
        .toList();
  }

  private List<Ranked> searchBlob(String blob, Embedding vector, int k, AbilityFilter filter) {
    ObjectNode body = client.json.createObjectNode();
    ArrayNode query = body.putArray("query");
    for (float value : vector.toArray()) {
      query.add(value);
    }
    for (long fetch = k; ; fetch *= 4) {
      body.put("k", fetch);
      Answer answer = client.send("POST", blobPath(blob) + "/query", body, Call.READ_OR_IDEMPOTENT);
      if (answer.status() == 404) {
        return List.of();
      }
      expectOk(answer, "query");
      JsonNode attributes = answer.body().path("attributes");
      JsonNode distances = answer.body().path("distances");
      List<Ranked> passing = new ArrayList<>();
      for (int i = 0; i < attributes.size() && passing.size() < k; i++) {
        Ability ability = AbilityAttributes.read(client.json, attributes.get(i));
        if (filter.matches(ability)) {
          passing.add(new Ranked(ability, distances.get(i).asDouble()));
        }
      }
      if (passing.size() >= k || attributes.size() < fetch) {
        return passing;
      }
    }
  }

  @Override
  public Page<Ability> query(AbilityQuery query) {
    ensureOpen();
    List<Ability> matching = new ArrayList<>();
    String after = query.afterAbilityId();
    while (matching.size() <= query.limit()) {
      List<String> ids = idSource.idsAfter(after, ID_PAGE);
      List<Ability> page = sorted(getAll(ids));
      page.stream().filter(query.filter()::matches).forEach(matching::add);
      if (ids.size() < ID_PAGE) {
        break;
      }
      after = ids.get(ids.size() - 1);
    }
    if (matching.size() <= query.limit()) {
      return new Page<>(matching, null);
    }
    List<Ability> items = matching.subList(0, query.limit());
    return new Page<>(items, AbilityQuery.cursorAfter(items.get(items.size() - 1).abilityId()));
  }

  @Override
  public Page<Ability> scan(@Nullable String afterAbilityId, int limit) {
    ensureOpen();
    List<Ability> items = new ArrayList<>();
    String after = afterAbilityId;
    while (true) {
      int wanted = limit - items.size();
      List<String> ids = idSource.idsAfter(after, wanted);
      items.addAll(sorted(getAll(ids)));
      if (ids.size() < wanted) {
        return new Page<>(items, null);
      }
      after = ids.get(ids.size() - 1);
      if (items.size() >= limit) {
        return new Page<>(items, AbilityQuery.cursorAfter(after));
      }
    }
  }

  @Override
  public long count() {
    return serviceCounts().stream().mapToLong(ServiceCount::total).sum();
  }

  @Override
  public List<ServiceCount> serviceCounts() {
    ensureOpen();
    Map<String, long[]> counts = new TreeMap<>(AbilityIdOrder.COMPARATOR);
    String after = null;
    while (true) {
      List<String> ids = idSource.idsAfter(after, ID_PAGE);
      for (Ability ability : getAll(ids)) {
        long[] count = counts.computeIfAbsent(ability.serviceName(), name -> new long[2]);
        count[ability.dynamicHeadersRequired() ? 1 : 0]++;
      }
      if (ids.size() < ID_PAGE) {
        break;
      }
      after = ids.get(ids.size() - 1);
    }
    return counts.entrySet().stream().map(entry -> new ServiceCount(entry.getKey(),
        entry.getValue()[0] + entry.getValue()[1], entry.getValue()[0], entry.getValue()[1])).toList();
  }

  /** The circuit breaker's state: 0 closed, 1 half-open, 2 open. */
  @Override
  public java.util.Map<String, Double> gauges() {
    double state = switch (breakerState()) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
    return java.util.Map.of("circuit_breaker_state", state);
  }

  /** No: scans walk the ids of the {@link IdSource}, since the API cannot list vectors. */
  @Override
  public boolean scansWhatItHolds() {
    return false;
  }

  /** Vector only: the API has no text search. */
  @Override
  public java.util.Set<SearchMode> searchModes() {
    return java.util.EnumSet.of(SearchMode.VECTOR);
  }

  @Override
  public Health health() {
    if (closed) {
      return Health.down("infraxa index is closed");
    }
    String where = "infraxa " + config.baseUrl() + " workspace " + config.tenant();
    try {
      Answer answer = client.send("GET", "/health", null, Call.READ_OR_IDEMPOTENT);
      return answer.ok() ? Health.up(where + ", breaker " + breakerText())
          : Health.down(where + " /health answered " + answer.status() + ", breaker " + breakerText());
    } catch (StoreUnavailableException e) {
      return Health.down(where + ": " + e.getMessage() + ", breaker " + breakerText());
    }
  }

  private String breakerText() {
    return breakerState().name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public void close() {
    closed = true;
    executor.shutdownNow();
    client.close();
  }

  private void ensureTenant() {
    if (tenantReady) {
      return;
    }
    ObjectNode body = client.json.createObjectNode().put("tenant_id", config.tenant())
        .put("max_vectors", config.maxVectors());
    Answer answer = client.send("POST", "/tenants", body, Call.READ_OR_IDEMPOTENT);
    if (!answer.ok() && answer.status() != 409) {
      throw failure("create workspace " + config.tenant(), answer);
    }
    tenantReady = true;
  }

  private void ensureBlob(String blob) {
    if (readyBlobs.contains(blob)) {
      return;
    }
    ObjectNode body = client.json.createObjectNode().put("blob_id", blob).put("blob_type", "dense")
        .put("dimension", config.dimension());
    Answer answer = client.send("POST", "/tenants/" + encode(config.tenant()) + "/blobs", body, Call.READ_OR_IDEMPOTENT);
    if (answer.status() == 404) {
      tenantReady = false;
      ensureTenant();
      answer = client.send("POST", "/tenants/" + encode(config.tenant()) + "/blobs", body, Call.READ_OR_IDEMPOTENT);
    }
    if (answer.status() == 409) {
      Blob existing = blobs().stream().filter(found -> found.name().equals(blob)).findFirst()
          .orElseThrow(() -> new StoreUnavailableException("[Infraxa] collection " + blob
              + " answered 'already exists' but is not listed"));
      if (existing.dimension() != config.dimension()) {
        throw new DimensionMismatchException(config.dimension(), existing.dimension(), "Infraxa collection " + blob
            + " holds vectors of " + existing.dimension() + " dimensions, this store " + config.dimension()
            + "; set ABILITYSTORE_DIMENSION to match or use another VECTOR_DB_TENANT");
      }
    } else if (!answer.ok()) {
      throw failure("create collection " + blob, answer);
    }
    readyBlobs.add(blob);
  }

  /** Returns the workspace's dense {@code abilities_*} collections; none when the workspace does not exist. */
  private List<Blob> blobs() {
    Answer answer = client.send("GET", "/tenants/" + encode(config.tenant()) + "/blobs", null, Call.READ_OR_IDEMPOTENT);
    if (answer.status() == 404) {
      return List.of();
    }
    expectOk(answer, "list collections");
    JsonNode list = answer.body().isArray() ? answer.body() : answer.body().path("blobs");
    List<Blob> blobs = new ArrayList<>();
    for (JsonNode blob : list) {
      String name = blob.isTextual() ? blob.asText() : blob.path("blob_id").asText();
      if (name.startsWith(AbilityAttributes.BLOB_PREFIX) && "dense".equals(blob.path("blob_type").asText("dense"))) {
        blobs.add(new Blob(name, blob.path("dimension").asInt(config.dimension())));
      }
    }
    return blobs;
  }

  private Optional<Stored> fetch(String blob, int vectorId) {
    Answer answer = client.send("GET", blobPath(blob) + "/vectors/" + vectorId, null, Call.READ_OR_IDEMPOTENT);
    if (answer.status() == 404) {
      return Optional.empty();
    }
    expectOk(answer, "get vector");
    JsonNode attributes = answer.body().has("attributes") ? answer.body().get("attributes") : answer.body();
    if (AbilityAttributes.abilityId(attributes) == null) {
      return Optional.empty();
    }
    Ability ability = AbilityAttributes.read(client.json, attributes);
    return Optional.of(new Stored(blob, ability, AbilityAttributes.contentHash(attributes, ability)));
  }

  private String blobPath(String blob) {
    return "/tenants/" + encode(config.tenant()) + "/blobs/" + encode(blob);
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8);
  }

  private static List<Ability> sorted(List<Ability> abilities) {
    return abilities.stream().sorted(Comparator.comparing(Ability::abilityId, AbilityIdOrder.COMPARATOR)).toList();
  }

  private <T, R> List<R> parallel(List<T> items, Function<T, R> task) {
    if (items.size() == 1) {
      return List.of(task.apply(items.get(0)));
    }
    List<Future<R>> futures = items.stream().map(item -> executor.submit(() -> task.apply(item))).toList();
    List<R> results = new ArrayList<>(items.size());
    try {
      for (Future<R> future : futures) {
        results.add(future.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      futures.forEach(future -> future.cancel(true));
      throw new AbilityStoreException("[Infraxa] interrupted while waiting for parallel calls", e);
    } catch (ExecutionException e) {
      futures.forEach(future -> future.cancel(true));
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new AbilityStoreException("[Infraxa] parallel call failed", e.getCause());
    }
    return results;
  }

  private static void expectOk(Answer answer, String what) {
    if (!answer.ok()) {
      throw failure(what, answer);
    }
  }

  private static AbilityStoreException failure(String what, Answer answer) {
    return new AbilityStoreException("[Infraxa] " + what + " answered " + answer.status() + ": " + answer.error());
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the infraxa index is closed");
    }
  }
}
