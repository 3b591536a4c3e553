package dev.abilitystore.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.DeleteResult;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.Page;
import dev.abilitystore.json.AbilityJson;
import dev.abilitystore.validation.AbilityValidator;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /v1/abilities}: store one or a batch, get, delete, and list with filters. Thread-safe.
 */
final class AbilityEndpoints {
  static final String ID_PARAMETER = "ability_id";
  private static final Set<String> GET_PARAMETERS = Set.of("include");
  private static final Set<String> LIST_PARAMETERS =
      Set.of("service_name", "dynamic_headers_required", "q", "limit", "cursor", "include");

  private final AbilityStore store;
  private final RequestBody body;
  private final AbilityValidator validator;

  AbilityEndpoints(AbilityStore store, RequestBody body) {
    this.store = store;
    this.body = body;
    this.validator = AbilityValidator.forDimension(store.primary().dimension());
  }

  /** {@code POST /v1/abilities}: stores one ability or {@code {"abilities": [...]}}, all or nothing. */
  void store(Context ctx) throws IOException {
    List<Ability> abilities;
    try (JsonParser parser = body.parser(ctx)) {
      abilities = new AbilityBatchReader(validator).read(parser);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      throw RequestBody.unreadable(e);
    }
    ApiJson.send(ctx, 200, JsonViews.storeResult(store.store(abilities)));
  }

  /** {@code GET /v1/abilities/{ability_id}}: the ability, with its embedding on {@code ?include=embedding}. */
  void get(Context ctx) {
    QueryParameters parameters = new QueryParameters(ctx, GET_PARAMETERS);
    boolean includeEmbedding = includesEmbedding(parameters);
    parameters.throwIfInvalid();
    String abilityId = abilityId(ctx);
    Ability ability = store.get(abilityId).orElseThrow(() -> notFound(abilityId));
    ctx.status(200).contentType(ApiJson.MEDIA_TYPE).result(AbilityJson.toJsonBytes(ability, includeEmbedding));
  }

  /**
   * {@code DELETE /v1/abilities/{ability_id}}: deletes from both stores; {@code deleted} says
   * whether the primary held the ability when the call began.
   */
  void delete(Context ctx) {
    long started = System.nanoTime();
    new QueryParameters(ctx, Set.of()).throwIfInvalid();
    String abilityId = abilityId(ctx);
    Optional<Ability> existing = store.primary().get(abilityId);
    DeleteResult result = store.delete(List.of(abilityId));
    ObjectNode json = ApiJson.object()
        .put("deleted", existing.isPresent())
        .put("ability_id", abilityId)
        .put("secondary", result.secondary().wireName())
        .put("took_ms", Elapsed.millisSince(started));
    ApiJson.send(ctx, 200, json);
  }

  /** {@code GET /v1/abilities}: one page of abilities passing the filters, in id order. */
  void list(Context ctx) {
    long started = System.nanoTime();
    QueryParameters parameters = new QueryParameters(ctx, LIST_PARAMETERS);
    AbilityFilter filter = filter(parameters);
    int limit = parameters.integer("limit", 1, AbilityQuery.MAX_LIMIT, AbilityQuery.DEFAULT_LIMIT);
    String cursor = parameters.single("cursor");
    boolean includeEmbedding = includesEmbedding(parameters);
    parameters.throwIfInvalid();
    AbilityQuery query;
    try {
      query = new AbilityQuery(filter, limit, cursor);
      // no cursor this server issues names an id with NUL, which PostgreSQL cannot compare: the
      // query would fail there, and the store would leave PostgreSQL alone for a while
      String after = query.afterAbilityId();
      if (after != null && after.indexOf('\u0000') >= 0) {
        throw new InvalidInputException("cursor names no ability id");
      }
    } catch (InvalidInputException e) {
      throw ProblemException.invalidField("cursor", "is not one this server issued: pass the next_cursor of the "
          + "previous page unchanged");
    }
    Page<Ability> page = store.query(query);
    List<Ability> items = includeEmbedding ? withEmbeddings(page.items()) : page.items();
    ObjectNode json = ApiJson.object();
    ArrayNode abilities = json.putArray("abilities");
    items.forEach(ability -> ApiJson.addAbility(abilities, ability, includeEmbedding));
    json.put("next_cursor", page.nextCursor());
    json.put("took_ms", Elapsed.millisSince(started));
    ApiJson.send(ctx, 200, json);
  }

  /**
   * Returns the abilities with their embeddings: a page answered by the index (no PostgreSQL, or
   * PostgreSQL behind) comes without them, and {@code include=embedding} promises them.
   */
  private List<Ability> withEmbeddings(List<Ability> abilities) {
    List<String> missing = abilities.stream().filter(ability -> ability.embedding() == null)
        .map(Ability::abilityId).toList();
    if (missing.isEmpty()) {
      return abilities;
    }
    java.util.Map<String, Ability> loaded = new java.util.HashMap<>();
    for (Ability ability : store.primary().getAll(missing)) {
      loaded.put(ability.abilityId(), ability);
    }
    return abilities.stream().map(ability -> ability.embedding() != null ? ability
        : loaded.getOrDefault(ability.abilityId(), ability)).toList();
  }

  private static AbilityFilter filter(QueryParameters parameters) {
    AbilityFilter.Builder filter = AbilityFilter.builder()
        .services(parameters.all("service_name"))
        .dynamicHeadersRequired(parameters.bool("dynamic_headers_required"));
    String text = parameters.single("q");
    if (text != null && parameters.checkText("q", text)) {
      filter.textContains(text);
    }
    return filter.build();
  }

  private static boolean includesEmbedding(QueryParameters parameters) {
    boolean embedding = false;
    for (String include : parameters.all("include")) {
      for (String part : include.split(",", -1)) {
        if (part.strip().equals("embedding")) {
          embedding = true;
        } else {
          parameters.reject("include", "may only be 'embedding', was '" + ApiJson.bounded(part) + "'");
        }
      }
    }
    return embedding;
  }

  private static String abilityId(Context ctx) {
    String abilityId = ctx.pathParam(ID_PARAMETER);
    String problem = AbilityValidator.abilityIdProblem(abilityId);
    if (problem != null) {
      throw ProblemException.invalidField(ID_PARAMETER, problem);
    }
    return abilityId;
  }

  private static ProblemException notFound(String abilityId) {
    return ProblemException.notFound("no ability has the id '" + ApiJson.bounded(abilityId) + "'");
  }
}
