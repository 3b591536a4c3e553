package dev.abilitystore.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.AbilityStoreException;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.Page;
import dev.abilitystore.SearchRequest;
import dev.abilitystore.SearchResult;
import dev.abilitystore.SecondaryState;
import dev.abilitystore.ServiceCount;
import dev.abilitystore.StoreResult;
import dev.abilitystore.StoredAbility;
import dev.abilitystore.json.AbilityJson;
import dev.abilitystore.port.SearchHit;
import dev.abilitystore.port.SearchMode;
import dev.abilitystore.port.WriteOutcome;
import dev.abilitystore.sync.SyncDirection;
import dev.abilitystore.sync.SyncProgress;
import dev.abilitystore.sync.SyncReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A running server, through its HTTP API: what the commands do with {@code --url}. Answers are
 * read back into the same types the local stores return, so that output is the same. Not
 * thread-safe (the stats document is kept after the first read).
 */
final class RemoteCatalogue implements Catalogue {
  private final ApiClient client;
  private @Nullable ObjectNode stats;

  RemoteCatalogue(ApiClient client) {
    this.client = client;
  }

  @Override
  public String location() {
    return "the server at " + client.base();
  }

  @Override
  public int dimension() {
    JsonNode dimension = stats().path("embedder").path("dimension");
    if (!dimension.canConvertToInt() || dimension.asInt() < 1) {
      throw new AbilityStoreException("GET /v1/stats at " + client.base() + " does not say the store's dimension "
          + "(embedder.dimension)");
    }
    return dimension.asInt();
  }

  @Override
  public boolean postgresConfigured() {
    JsonNode status = stats().path("secondary").path("status");
    return !status.isMissingNode() && !status.asText().equalsIgnoreCase("disabled");
  }

  @Override
  public Optional<Ability> get(String abilityId, boolean includeEmbedding) {
    return client.find("/v1/abilities/" + ApiClient.encode(abilityId) + (includeEmbedding ? "?include=embedding" : ""))
        .map(RemoteCatalogue::ability);
  }

  /**
   * Returns a page of {@code GET /v1/abilities}; embeddings, when asked for, come from one
   * {@code GET /v1/abilities/{id}?include=embedding} per ability that lacks one.
   *
   * @throws InvalidInputException for filters the API does not offer (time ranges)
   */
  @Override
  public Page<Ability> query(AbilityQuery query, boolean includeEmbedding) {
    AbilityFilter filter = query.filter();
    if (filter.createdFrom() != null || filter.createdBefore() != null || filter.updatedFrom() != null
        || filter.updatedBefore() != null) {
      throw new InvalidInputException("the API's list filters are service, --public/--private and --contains: "
          + "--created-* and --updated-* work only on the stores themselves, without --url");
    }
    Map<String, @Nullable Object> parameters = new LinkedHashMap<>();
    parameters.put("service_name", filter.serviceNames().isEmpty() ? null : List.copyOf(filter.serviceNames()));
    parameters.put("dynamic_headers_required", filter.dynamicHeadersRequired());
    parameters.put("q", filter.textContains());
    parameters.put("limit", query.limit());
    parameters.put("cursor", query.cursor());
    if (includeEmbedding) {
      parameters.put("include", "embedding");
    }
    JsonNode answer = client.get(ApiClient.withQuery("/v1/abilities", parameters));
    List<Ability> items = new ArrayList<>();
    for (JsonNode node : answer.path("abilities")) {
      Ability ability = ability(node);
      if (includeEmbedding && ability.embedding() == null) {
        Optional<Ability> complete = get(ability.abilityId(), true);
        if (complete.isEmpty()) {
          continue;
        }
        ability = complete.get();
      }
      items.add(ability);
    }
    JsonNode next = answer.path("next_cursor");
    return new Page<>(items, next.isTextual() && !next.asText().isEmpty() ? next.asText() : null);
  }

  @Override
  public SearchResult search(SearchRequest request) {
    ObjectNode body = ApiClient.MAPPER.createObjectNode();
    body.put("query", request.text());
    body.put("k", request.k());
    body.put("mode", request.mode().name().toLowerCase(Locale.ROOT));
    List<String> services = List.copyOf(request.filter().serviceNames());
    if (services.size() == 1) {
      body.put("service_name", services.get(0));
    } else if (!services.isEmpty()) {
      services.forEach(body.putArray("service_name")::add);
    }
    if (request.filter().dynamicHeadersRequired() != null) {
      body.put("dynamic_headers_required", request.filter().dynamicHeadersRequired());
    }
    JsonNode answer = client.post("/v1/search", body.toString());
    List<SearchHit> hits = new ArrayList<>();
    for (JsonNode result : answer.path("results")) {
      hits.add(new SearchHit(ability(result.path("ability")), result.path("score").asDouble()));
    }
    SearchMode mode = request.mode();
    String answeredMode = answer.path("mode").asText("");
    for (SearchMode candidate : SearchMode.values()) {
      if (candidate.name().equalsIgnoreCase(answeredMode)) {
        mode = candidate;
      }
    }
    return new SearchResult(hits, mode, answer.path("degraded").asBoolean(false), answer.path("took_ms").asLong());
  }

  @Override
  public List<ServiceCount> serviceCounts() {
    List<ServiceCount> counts = new ArrayList<>();
    for (JsonNode service : client.get("/v1/services").path("services")) {
      counts.add(new ServiceCount(service.path("service_name").asText(), service.path("total").asLong(),
          service.path("public").asLong(), service.path("private").asLong()));
    }
    return counts;
  }

  @Override
  public ObjectNode stats() {
    if (stats == null) {
      JsonNode answer = client.get("/v1/stats");
      if (!(answer instanceof ObjectNode object)) {
        throw new AbilityStoreException("GET /v1/stats at " + client.base() + " answered no JSON object");
      }
      stats = object;
    }
    return stats;
  }

  /** Runs the sync on the server, which answers when it is done; there is no progress to show meanwhile. */
  @Override
  public SyncReport sync(SyncDirection direction, boolean dryRun, SyncProgress progress) {
    ObjectNode body = ApiClient.MAPPER.createObjectNode();
    body.put("direction", direction.wireName());
    body.put("dry_run", dryRun);
    return SyncCommand.report(client.post("/v1/sync", body.toString()));
  }

  @Override
  public Deletion delete(List<String> abilityIds) {
    List<String> deleted = new ArrayList<>();
    SecondaryState secondary = SecondaryState.DISABLED;
    for (String abilityId : abilityIds) {
      JsonNode answer = client.delete("/v1/abilities/" + ApiClient.encode(abilityId));
      if (answer.path("deleted").asBoolean()) {
        deleted.add(abilityId);
        if (secondary != SecondaryState.QUEUED) {
          secondary = secondaryState(answer.path("secondary").asText("disabled"));
        }
      }
    }
    return new Deletion(deleted, secondary);
  }

  @Override
  public StoreResult store(List<Ability> abilities) {
    StringBuilder body = new StringBuilder(abilities.size() * 1024).append("{\"abilities\":[");
    for (int i = 0; i < abilities.size(); i++) {
      body.append(i == 0 ? "" : ",").append(AbilityJson.toJson(abilities.get(i), true));
    }
    body.append("]}");
    JsonNode answer = client.post("/v1/abilities", body.toString());
    List<StoredAbility> results = new ArrayList<>();
    for (JsonNode result : answer.path("results")) {
      results.add(new StoredAbility(result.path("ability_id").asText(), result.path("vector_id").asInt(),
          WriteOutcome.valueOf(result.path("primary").asText("unchanged").toUpperCase(Locale.ROOT)),
          secondaryState(result.path("secondary").asText("disabled"))));
    }
    return new StoreResult(results, answer.path("took_ms").asLong(0));
  }

  @Override
  public void close() {
    // the HTTP client's connections close with the process
  }

  private static SecondaryState secondaryState(String wireName) {
    for (SecondaryState state : SecondaryState.values()) {
      if (state.wireName().equals(wireName)) {
        return state;
      }
    }
    throw new AbilityStoreException("the server answered an unknown PostgreSQL state '" + wireName + "'");
  }

  /** Reads an ability the API answered; an envelope {@code {"ability": {...}}} is opened first. */
  private static Ability ability(JsonNode node) {
    JsonNode object = node.has("ability_id") || !node.path("ability").isObject() ? node : node.path("ability");
    return AbilityJson.fromJson(object.toString());
  }
}
