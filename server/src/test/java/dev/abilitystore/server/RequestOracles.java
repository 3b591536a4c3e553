package dev.abilitystore.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.abilitystore.Ability;
import dev.abilitystore.fuzz.AbilityOracle;
import dev.abilitystore.fuzz.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Independent models of the documented rules of the requests other than storing abilities
 * (search, sync, the list's query parameters, ids in paths), and of the literal answers of
 * valid ones over a known catalogue.
 */
final class RequestOracles {
  static final int MAX_QUERY_CHARS = 64 * 1024;
  static final int MAX_K = 1000;
  static final int MAX_LIMIT = 1000;
  static final int DEFAULT_LIMIT = 50;
  static final int DEFAULT_K = 10;
  static final Set<String> SEARCH_FIELDS = Set.of("query", "vector", "k", "service_name", "dynamic_headers_required",
      "mode");
  static final Set<String> SYNC_FIELDS = Set.of("direction", "dry_run");
  static final Set<String> LIST_PARAMETERS = Set.of("service_name", "dynamic_headers_required", "q", "limit", "cursor",
      "include");
  static final Set<String> SYNC_DIRECTIONS = Set.of("primary-to-secondary", "secondary-to-primary", "bidirectional");
  /** Ability ids in code-point order, PostgreSQL's COLLATE "C" and the index's order. */
  static final Comparator<String> CODE_POINT_ORDER = (left, right) -> {
    int i = 0;
    int j = 0;
    while (i < left.length() && j < right.length()) {
      int a = left.codePointAt(i);
      int b = right.codePointAt(j);
      if (a != b) {
        return Integer.compare(a, b);
      }
      i += Character.charCount(a);
      j += Character.charCount(b);
    }
    return Integer.compare(left.length() - i, right.length() - j);
  };

  private RequestOracles() {}

  /** What a valid search asks for, for checking its answer. */
  record SearchAsk(int k, String mode, Set<String> services, @Nullable Boolean dynamicHeadersRequired) {}

  /** Judges a body of {@code POST /v1/search}; {@code ask} receives what a valid one asks for. */
  static Verdict search(byte[] body, int dimension, List<SearchAsk> ask) {
    AbilityOracle.ObjectBody read = AbilityOracle.ObjectBody.read(body);
    ObjectNode json = read.object();
    if (json == null) {
      return Objects.requireNonNull(read.refusal());
    }
    Verdict verdict = Verdict.valid();
    unknownFields(json, SEARCH_FIELDS, verdict);
    String query = null;
    JsonNode queryNode = present(json, "query");
    if (queryNode != null) {
      if (!queryNode.isTextual()) {
        verdict.invalid("query is not a string");
      } else if (queryNode.textValue().length() > MAX_QUERY_CHARS) {
        verdict.invalid("query is longer than 64 Ki characters");
      } else if (!queryNode.textValue().isBlank()) {
        query = queryNode.textValue();
      }
    }
    JsonNode vector = present(json, "vector");
    if (vector != null) {
      vector(vector, dimension, verdict);
    }
    int k = DEFAULT_K;
    JsonNode kNode = present(json, "k");
    if (kNode != null) {
      if (!kNode.isIntegralNumber() || !kNode.canConvertToInt() || kNode.intValue() < 1 || kNode.intValue() > MAX_K) {
        verdict.invalid("k is not an integer from 1 to 1000");
      } else {
        k = kNode.intValue();
      }
    }
    Set<String> services = new HashSet<>();
    JsonNode service = present(json, "service_name");
    if (service != null) {
      if (service.isTextual()) {
        services.add(service.textValue());
      } else if (service.isArray()) {
        for (JsonNode one : service) {
          if (one.isTextual()) {
            services.add(one.textValue());
          } else {
            verdict.invalid("service_name holds a non-string");
          }
        }
      } else {
        verdict.invalid("service_name is neither a string nor an array");
      }
      if (services.stream().anyMatch(name -> name.chars().anyMatch(Character::isISOControl))) {
        verdict.invalid("service_name holds a control character");
      }
    }
    Boolean dynamic = null;
    JsonNode dynamicNode = present(json, "dynamic_headers_required");
    if (dynamicNode != null) {
      if (!dynamicNode.isBoolean()) {
        verdict.invalid("dynamic_headers_required is not a boolean");
      } else {
        dynamic = dynamicNode.booleanValue();
      }
    }
    String mode;
    JsonNode modeNode = present(json, "mode");
    if (modeNode == null) {
      mode = vector != null && query == null ? "vector" : "hybrid";
    } else if (!modeNode.isTextual()) {
      verdict.invalid("mode is not a string");
      mode = "hybrid";
    } else {
      mode = null;
      for (String known : List.of("hybrid", "vector", "keyword")) {
        if (known.equalsIgnoreCase(modeNode.textValue())) {
          mode = known;
        }
      }
      if (mode == null) {
        verdict.invalid("mode is not hybrid, vector or keyword");
        mode = "hybrid";
      }
    }
    boolean queryGiven = query != null || (queryNode != null && !queryNode.isTextual());
    if (!queryGiven && vector == null) {
      verdict.invalid("neither query nor vector");
    } else if (!queryGiven && !mode.equals("vector")) {
      verdict.invalid(mode + " search without query text");
    }
    ask.add(new SearchAsk(k, mode, services, dynamic));
    return verdict;
  }

  private static void vector(JsonNode vector, int dimension, Verdict verdict) {
    if (!vector.isArray()) {
      verdict.invalid("vector is not an array");
      return;
    }
    double squares = 0;
    for (int i = 0; i < vector.size(); i++) {
      if (!vector.get(i).isNumber()) {
        verdict.invalid("vector[" + i + "] is not a number");
        return;
      }
      float value = vector.get(i).isBigDecimal() ? vector.get(i).decimalValue().floatValue()
          : vector.get(i).isBigInteger() ? vector.get(i).bigIntegerValue().floatValue() : vector.get(i).floatValue();
      if (!Float.isFinite(value)) {
        verdict.invalid("vector[" + i + "] overflows a float");
        return;
      }
      squares += (double) value * value;
    }
    if (vector.size() != dimension) {
      verdict.invalid("vector has " + vector.size() + " components");
    } else if (squares == 0) {
      verdict.invalid("vector is all zeros");
    }
  }

  /** Judges a body of {@code POST /v1/sync}; a valid one needs PostgreSQL. */
  static Verdict sync(byte[] body, boolean withPostgres) {
    Verdict verdict = Verdict.valid();
    if (new String(body, StandardCharsets.UTF_8).replaceAll("[ \t\r\n]", "").isEmpty()) {
      // no body, or JSON white space only: the defaults
    } else {
      AbilityOracle.ObjectBody read = AbilityOracle.ObjectBody.read(body);
      ObjectNode json = read.object();
      if (json == null) {
        return Objects.requireNonNull(read.refusal());
      }
      unknownFields(json, SYNC_FIELDS, verdict);
      JsonNode direction = present(json, "direction");
      if (direction != null && (!direction.isTextual() || !SYNC_DIRECTIONS.contains(
          direction.textValue().strip().toLowerCase(Locale.ROOT).replace('_', '-')))) {
        verdict.invalid("direction is not one of " + SYNC_DIRECTIONS);
      }
      JsonNode dryRun = present(json, "dry_run");
      if (dryRun != null && !dryRun.isBoolean()) {
        verdict.invalid("dry_run is not a boolean");
      }
    }
    if (verdict.isValid() && !withPostgres) {
      verdict.invalid("sync needs PostgreSQL, which this server lacks");
    }
    return verdict;
  }

  /** What a valid list asks for. */
  record ListAsk(Set<String> services, @Nullable Boolean dynamicHeadersRequired, @Nullable String text, int limit,
      @Nullable String after, boolean embedding) {}

  /**
   * Judges the query parameters of {@code GET /v1/abilities}, as decoded; {@code ask} receives
   * what a valid one asks for.
   */
  static Verdict list(List<Map.Entry<String, String>> parameters, List<ListAsk> ask) {
    Verdict verdict = Verdict.valid();
    Map<String, List<String>> byName = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, String> parameter : parameters) {
      byName.computeIfAbsent(parameter.getKey(), ignored -> new ArrayList<>()).add(parameter.getValue());
      if (!LIST_PARAMETERS.contains(parameter.getKey())) {
        verdict.invalid("unknown parameter " + parameter.getKey());
      }
    }
    Set<String> services = new HashSet<>();
    for (String service : byName.getOrDefault("service_name", List.of())) {
      if (service.chars().anyMatch(Character::isISOControl)) {
        verdict.invalid("service_name holds a control character");
      }
      services.add(service);
    }
    Boolean dynamic = null;
    String dynamicText = single(byName, "dynamic_headers_required", verdict);
    if (dynamicText != null) {
      switch (dynamicText) {
        case "true" -> dynamic = Boolean.TRUE;
        case "false" -> dynamic = Boolean.FALSE;
        default -> verdict.invalid("dynamic_headers_required is not true or false");
      }
    }
    String text = single(byName, "q", verdict);
    if (text != null && text.chars().anyMatch(Character::isISOControl)) {
      verdict.invalid("q holds a control character");
    }
    int limit = DEFAULT_LIMIT;
    String limitText = single(byName, "limit", verdict);
    if (limitText != null) {
      try {
        limit = Integer.parseInt(limitText);
        if (limit < 1 || limit > MAX_LIMIT) {
          verdict.invalid("limit out of range");
        }
      } catch (NumberFormatException e) {
        verdict.invalid("limit is not an integer");
      }
    }
    String after = null;
    String cursor = single(byName, "cursor", verdict);
    if (cursor != null) {
      after = cursorId(cursor);
      if (after == null) {
        verdict.invalid("cursor is not one the server issues");
      } else if (after.indexOf('\u0000') >= 0) {
        verdict.invalid("cursor names an id with NUL, which no server issues (and PostgreSQL cannot compare)");
      }
    }
    boolean embedding = false;
    for (String include : byName.getOrDefault("include", List.of())) {
      for (String part : include.split(",", -1)) {
        if (part.strip().equals("embedding")) {
          embedding = true;
        } else {
          verdict.invalid("include is not embedding");
        }
      }
    }
    ask.add(new ListAsk(services, dynamic, text, limit, after, embedding));
    return verdict;
  }

  private static @Nullable String single(Map<String, List<String>> byName, String name, Verdict verdict) {
    List<String> values = byName.getOrDefault(name, List.of());
    if (values.size() > 1) {
      verdict.invalid(name + " given " + values.size() + " times");
      return null;
    }
    return values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
  }

  /** The id a cursor resumes after, or null when it is no cursor of the documented form. */
  static @Nullable String cursorId(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      return text.startsWith("a:") && text.length() > 2 ? text.substring(2) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The cursor that resumes after {@code id}. */
  static String cursorAfter(String id) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(("a:" + id).getBytes(StandardCharsets.UTF_8));
  }

  /** The ids of the page a valid list answers over {@code catalogue}. */
  static List<String> expectedPage(List<Ability> catalogue, ListAsk ask) {
    return catalogue.stream()
        .filter(ability -> ask.services().isEmpty() || ask.services().contains(ability.serviceName()))
        .filter(ability -> ask.dynamicHeadersRequired() == null
            || ask.dynamicHeadersRequired() == ability.dynamicHeadersRequired())
        .filter(ability -> ask.text() == null || containsIgnoringCase(ability, ask.text()))
        .map(Ability::abilityId)
        .filter(id -> ask.after() == null || CODE_POINT_ORDER.compare(id, ask.after()) > 0)
        .sorted(CODE_POINT_ORDER)
        .limit(ask.limit())
        .toList();
  }

  static boolean containsIgnoringCase(Ability ability, String text) {
    String needle = text.toLowerCase(Locale.ROOT);
    return ability.abilityName().toLowerCase(Locale.ROOT).contains(needle)
        || ability.description().toLowerCase(Locale.ROOT).contains(needle);
  }

  /** Judges an ability id in a path, as decoded. */
  static Verdict abilityId(String id) {
    String problem = AbilityOracle.idProblem(id);
    return problem == null ? Verdict.valid() : Verdict.of(Verdict.Kind.INVALID, "ability_id " + problem);
  }

  /** Judges the query parameters of a request that takes {@code known} only, each at most once unless repeatable. */
  static Verdict plainParameters(List<Map.Entry<String, String>> parameters, Set<String> known) {
    Verdict verdict = Verdict.valid();
    for (Map.Entry<String, String> parameter : parameters) {
      if (!known.contains(parameter.getKey())) {
        verdict.invalid("unknown parameter " + parameter.getKey());
      } else if (parameter.getKey().equals("include")) {
        for (String part : parameter.getValue().split(",", -1)) {
          if (!part.strip().equals("embedding")) {
            verdict.invalid("include is not embedding");
          }
        }
      }
    }
    return verdict;
  }

  private static void unknownFields(ObjectNode json, Set<String> known, Verdict verdict) {
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        verdict.invalid("unknown field " + name);
      }
    }
  }

  private static @Nullable JsonNode present(ObjectNode json, String field) {
    JsonNode value = json.get(field);
    return value == null || value.isNull() ? null : value;
  }
}
