package dev.abilitystore.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.Embedding;
import dev.abilitystore.SearchRequest;
import dev.abilitystore.SearchResult;
import dev.abilitystore.port.SearchMode;
import dev.abilitystore.port.VectorSearch;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /v1/search}: ranked abilities for query text or a vector, filtered before ranking.
 * Thread-safe.
 */
final class SearchEndpoint {
  /** Longest query text: as long as a description may be. */
  static final int MAX_QUERY_CHARS = 64 * 1024;
  private static final Set<String> FIELDS =
      Set.of("query", "vector", "k", "service_name", "dynamic_headers_required", "mode");

  private final AbilityStore store;
  private final RequestBody body;
  private final ServerMetrics metrics;

  SearchEndpoint(AbilityStore store, RequestBody body, ServerMetrics metrics) {
    this.store = store;
    this.body = body;
    this.metrics = metrics;
  }

  void search(Context ctx) {
    SearchResult result = store.search(request(body.object(ctx, false)));
    if (result.degraded()) {
      metrics.searchDegraded();
    }
    ApiJson.send(ctx, 200, JsonViews.searchResult(result));
  }

  private SearchRequest request(ObjectNode json) {
    JsonFields fields = new JsonFields(json, FIELDS);
    String query = fields.text("query");
    if (query != null && query.length() > MAX_QUERY_CHARS) {
      fields.reject("query", "must be at most " + MAX_QUERY_CHARS + " characters, was " + query.length());
    }
    if (query != null && query.isBlank()) {
      query = null;
    }
    Embedding vector = vector(fields);
    int k = fields.integer("k", 1, VectorSearch.MAX_K, SearchRequest.DEFAULT_K);
    List<String> services = fields.texts("service_name");
    for (String service : services) {
      if (service.chars().anyMatch(Character::isISOControl)) {
        fields.reject("service_name", "must not contain control characters");
      }
    }
    Boolean dynamicHeadersRequired = fields.bool("dynamic_headers_required");
    boolean vectorGiven = json.hasNonNull("vector");
    SearchMode mode = mode(fields, fields.text("mode"), vectorGiven && query == null);
    boolean queryGiven = query != null || (json.hasNonNull("query") && !json.get("query").isTextual());
    if (!queryGiven && !vectorGiven) {
      fields.reject("query", "is required, unless a vector is given");
    } else if (!queryGiven && mode != SearchMode.VECTOR) {
      fields.reject("query", "is required by " + mode.name().toLowerCase(Locale.ROOT) + " search");
    }
    fields.throwIfInvalid();
    AbilityFilter filter = AbilityFilter.builder().services(services).dynamicHeadersRequired(dynamicHeadersRequired)
        .build();
    return new SearchRequest(query, vector, k, mode, filter);
  }

  private @Nullable Embedding vector(JsonFields fields) {
    float[] values = fields.floats("vector");
    if (values == null) {
      return null;
    }
    int dimension = store.primary().dimension();
    if (values.length != dimension) {
      fields.reject("vector", "must have " + dimension + " components (the store's dimension), has " + values.length);
      return null;
    }
    double squares = 0;
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        fields.reject("vector[" + i + "]", "must be a finite 32-bit float");
        return null;
      }
      squares += (double) values[i] * values[i];
    }
    if (squares == 0) {
      fields.reject("vector", "must not be all zeros (it has no direction to compare)");
      return null;
    }
    return Embedding.of(values);
  }

  private static SearchMode mode(JsonFields fields, @Nullable String text, boolean vectorOnly) {
    if (text == null) {
      return vectorOnly ? SearchMode.VECTOR : SearchMode.HYBRID;
    }
    for (SearchMode mode : SearchMode.values()) {
      if (mode.name().equalsIgnoreCase(text)) {
        return mode;
      }
    }
    fields.reject("mode", "must be hybrid, vector or keyword, was '" + ApiJson.bounded(text) + "'");
    return SearchMode.HYBRID;
  }
}
