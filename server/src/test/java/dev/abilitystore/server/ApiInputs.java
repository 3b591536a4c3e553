package dev.abilitystore.server;

import static dev.abilitystore.fuzz.AbilityRecords.TEXT_CATEGORIES;
import static dev.abilitystore.fuzz.AbilityRecords.WRONG_TYPES;
import static dev.abilitystore.fuzz.AbilityRecords.corpusText;
import static dev.abilitystore.fuzz.AbilityRecords.encoded;
import static dev.abilitystore.fuzz.AbilityRecords.hugeText;
import static dev.abilitystore.fuzz.AbilityRecords.mutateBytes;
import static dev.abilitystore.fuzz.AbilityRecords.nested;
import static dev.abilitystore.fuzz.AbilityRecords.randomBytes;
import static dev.abilitystore.fuzz.AbilityRecords.render;
import static dev.abilitystore.fuzz.AbilityRecords.vector;
import static dev.abilitystore.fuzz.JsonText.quote;
import static dev.abilitystore.fuzz.JsonText.utf8;

import com.fasterxml.jackson.databind.JsonNode;
import dev.abilitystore.Ability;
import dev.abilitystore.fuzz.AbilityOracle;
import dev.abilitystore.fuzz.AbilityRecords;
import dev.abilitystore.fuzz.Hostile;
import dev.abilitystore.fuzz.Verdict;
import dev.abilitystore.json.AbilityJson;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * Generates the inputs of the HTTP fuzz suite: for every operation of {@code /openapi.json},
 * bad values in every field of its body and in every parameter, mutations of valid bodies
 * (fields dropped, repeated, retyped; bytes truncated, flipped, inserted), malformed JSON, wrong
 * encodings and content types, oversize bodies, wrong methods and malformed HTTP. Each input
 * carries the verdict of an independent model ({@link AbilityOracle}, {@link RequestOracles}) and,
 * for valid ones, a check of the literal answer over the known catalogue. Input {@code n} depends
 * only on the seed and {@code n}.
 */
final class ApiInputs {
  static final String ABILITIES = "POST /v1/abilities";
  static final String LIST = "GET /v1/abilities";
  static final String GET = "GET /v1/abilities/{ability_id}";
  static final String DELETE = "DELETE /v1/abilities/{ability_id}";
  static final String SEARCH = "POST /v1/search";
  static final String SERVICES = "GET /v1/services";
  static final String STATS = "GET /v1/stats";
  static final String SYNC = "POST /v1/sync";
  /** Operations of /v1 this generator knows; the suite fails when the document has another. */
  static final Set<String> OPERATIONS = Set.of(ABILITIES, LIST, GET, DELETE, SEARCH, SERVICES, STATS, SYNC);
  /** Body fields per operation this generator knows how to spoil. */
  static final Map<String, Set<String>> BODY_FIELDS = Map.of(
      ABILITIES, Set.of("ability_id", "vector_id", "ability_name", "service_name", "description", "embedding",
          "dynamic_header_keys", "dynamic_headers_required", "metadata", "created_at", "updated_at", "content_hash",
          "abilities"),
      SEARCH, RequestOracles.SEARCH_FIELDS,
      SYNC, RequestOracles.SYNC_FIELDS);
  /** Query and path parameters per operation this generator knows how to spoil. */
  static final Map<String, Set<String>> PARAMETERS = Map.of(
      LIST, RequestOracles.LIST_PARAMETERS,
      GET, Set.of("ability_id", "include"),
      DELETE, Set.of("ability_id"),
      SERVICES, Set.of(),
      STATS, Set.of());

  private static final List<String> BODY_CATEGORIES = List.of("missing-field", "duplicate-field", "unknown-field",
      "truncated-json", "byte-mutation", "malformed-json", "encoding", "content-type", "oversize");
  private static final List<String> ACCEPTED_CONTENT_TYPES = List.of("application/json",
      "application/json; charset=utf-8", "APPLICATION/JSON", "application/merge-patch+json", "application/vnd.api+json",
      " application/json ", "application/json;", "application/json; charset=\"utf-8\"", "Application/Json; foo=bar",
      "application/json; charset=utf-16");
  private static final List<String> REFUSED_CONTENT_TYPES = List.of("", "text/plain", "text/json",
      "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "application/jsonx",
      "application/json-seq", "json", "*/*", "application/*", "application/json, text/plain", "text/html; a=application/json",
      "application/javascript", "application/octet-stream", "'; DROP TABLE abilities; --", "application/json\u00e9");

  private final int dimension;
  private final List<Ability> catalogue;
  private final boolean withPostgres;
  private final long maxBodyBytes;
  private final AbilityOracle abilities;
  private final AbilityRecords records;

  ApiInputs(int dimension, List<Ability> catalogue, boolean withPostgres, long maxBodyBytes) {
    this.dimension = dimension;
    this.catalogue = List.copyOf(catalogue);
    this.withPostgres = withPostgres;
    this.maxBodyBytes = maxBodyBytes;
    this.abilities = new AbilityOracle(dimension);
    this.records = new AbilityRecords(dimension, "fuzz-");
  }

  // ---------------------------------------------------------------------------------------------
  // Dispatch

  /** Returns input {@code number}, drawn from {@code random}. */
  FuzzInput generate(long number, SplittableRandom random) {
    int route = random.nextInt(100);
    if (route < 34) {
      return abilityInput(number, random);
    } else if (route < 56) {
      return searchInput(number, random);
    } else if (route < 69) {
      return listInput(number, random);
    } else if (route < 78) {
      return idInput(number, random, random.nextInt(3) > 0 ? "GET" : "DELETE");
    } else if (route < 85) {
      return syncInput(number, random);
    } else if (route < 90) {
      return plainGetInput(number, random);
    } else if (route < 96) {
      return methodInput(number, random);
    }
    return rawInput(number, random);
  }

  // ---------------------------------------------------------------------------------------------
  // POST /v1/abilities

  private FuzzInput abilityInput(long number, SplittableRandom random) {
    int kind = random.nextInt(100);
    if (kind < 45) {
      String category = pick(random, TEXT_CATEGORIES);
      String field = pick(random, AbilityRecords.FIELDS);
      LinkedHashMap<String, String> fields = records.validAbility(number, random);
      fields.put(field, records.abilityValue(field, category, number, random));
      return storeBody(number, category, render(fields, random));
    } else if (kind < 55) {
      String category = pick(random, AbilityRecords.SPECIAL_CATEGORIES);
      return storeBody(number, category, render(records.special(category, number, random), random));
    } else if (kind < 63) {
      return batchInput(number, random);
    }
    String category = pick(random, BODY_CATEGORIES);
    return bodyMutation(number, category, "/v1/abilities", render(records.validAbility(number, random), random), random,
        abilities::judgeStoreBody, () -> records.validAbility(number, random));
  }

  /** The timestamps this run generates, with whether each is valid. */
  List<Map.Entry<String, Boolean>> timestamps() {
    return records.timestamps();
  }

  private FuzzInput storeBody(long number, String category, String body) {
    byte[] bytes = utf8(body);
    return FuzzInput.json(number, category, "POST", "/v1/abilities", bytes, abilities.judgeStoreBody(bytes));
  }

  private FuzzInput batchInput(long number, SplittableRandom random) {
    int size = random.nextInt(6);
    List<String> items = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      LinkedHashMap<String, String> fields = records.validAbility(number, random);
      fields.put("ability_id", quote("fuzz-" + number + "-" + i));
      items.add(render(fields, random));
    }
    String body = switch (random.nextInt(8)) {
      case 0 -> {
        LinkedHashMap<String, String> bad = records.validAbility(number, random);
        String field = pick(random, new ArrayList<>(bad.keySet()));
        bad.put(field, records.abilityValue(field, pick(random, TEXT_CATEGORIES), number, random));
        bad.put("ability_id", quote("fuzz-" + number + "-bad"));
        items.add(random.nextInt(items.size() + 1), render(bad, random));
        yield "{\"abilities\": " + String.join(", ", items).transform(list -> "[" + list + "]") + "}";
      }
      case 1 -> "{\"abilities\": []}";
      case 2 -> "{\"abilities\": " + IntStream.range(0, 1001).mapToObj(i -> "{\"ability_id\": \"fuzz-" + number + "-" + i
          + "\", \"ability_name\": \"n\", \"service_name\": \"s\", \"description\": \"\"}").collect(joinArray()) + "}";
      case 3 -> "{\"abilities\": [" + String.join(",", items) + "], " + quote(pick(random, List.of("count", "success",
          "abilities2", "", "ability_id"))) + ": 1}";
      case 4 -> "{\"abilities\": " + pick(random, List.of("{}", "null", "\"x\"", "1", "[1]", "[[]]", "[null]")) + "}";
      case 5 -> "{\"abilities\": [{\"abilities\": [" + String.join(",", items) + "]}]}";
      case 6 -> "[" + String.join(",", items) + "]";
      default -> "{\"abilities\": [" + String.join(",", items) + "]}";
    };
    return storeBody(number, "batch", body);
  }

  private FuzzInput bodyMutation(long number, String category, String path, String validBody, SplittableRandom random,
      Function<byte[], Verdict> judge, Supplier<LinkedHashMap<String, String>> fieldsOf) {
    byte[] valid = utf8(validBody);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    byte[] body;
    boolean chunked = false;
    switch (category) {
      case "missing-field" -> {
        LinkedHashMap<String, String> fields = fieldsOf.get();
        fields.remove(pick(random, new ArrayList<>(fields.keySet())));
        body = utf8(render(fields, random));
      }
      case "duplicate-field" -> {
        LinkedHashMap<String, String> fields = fieldsOf.get();
        String field = pick(random, new ArrayList<>(fields.keySet()));
        String again = random.nextBoolean() ? fields.get(field) : pick(random, WRONG_TYPES);
        String rendered = render(fields, random);
        body = utf8(rendered.substring(0, rendered.length() - 1) + ", " + quote(field) + ": " + again + "}");
      }
      case "unknown-field" -> {
        LinkedHashMap<String, String> fields = fieldsOf.get();
        String name = random.nextBoolean() ? pick(random, List.of("colour", "id", "ABILITY_ID", "ability_id ", "",
            "embeddings", "__proto__", "constructor", "$where", "query ", "Query"))
            : corpusText(pick(random, List.of("sql-syntax", "lucene-syntax", "unicode", "control-chars")), random);
        fields.put(name, pick(random, WRONG_TYPES));
        body = utf8(render(fields, random));
      }
      case "truncated-json" -> body = Arrays.copyOf(valid, random.nextInt(valid.length));
      case "byte-mutation" -> body = mutateBytes(valid, random);
      case "malformed-json" -> body = random.nextInt(4) == 0 ? randomBytes(random, 1 + random.nextInt(200))
          : utf8(pick(random, Hostile.MALFORMED_JSON));
      case "encoding" -> body = encoded(validBody, random);
      case "content-type" -> {
        body = valid;
        String type = random.nextBoolean() ? pick(random, ACCEPTED_CONTENT_TYPES) : pick(random, REFUSED_CONTENT_TYPES);
        if (type.isEmpty() && random.nextBoolean()) {
          headers.remove("Content-Type");
        } else {
          headers.put("Content-Type", type);
        }
      }
      case "oversize" -> {
        long target = maxBodyBytes + pick(random, List.of(1L, 2L, 100L, 64 * 1024L, -1L, 0L));
        byte[] padded = Arrays.copyOf(valid, (int) target);
        Arrays.fill(padded, valid.length, padded.length, (byte) ' ');
        if (valid.length > target) {
          padded = valid;
        }
        body = padded;
        chunked = random.nextInt(3) == 0;
      }
      default -> throw new IllegalStateException(category);
    }
    Verdict verdict = contentTypeVerdict(headers.get("Content-Type"), body, judge);
    if (body.length > maxBodyBytes) {
      verdict = Verdict.of(Verdict.Kind.TOO_LARGE, "body of " + body.length + " bytes over " + maxBodyBytes);
    }
    FuzzInput input = new FuzzInput(number, category, "POST", path, headers, body, false, null, verdict, null);
    return chunked ? input.chunkedBody() : input;
  }

  private static Verdict contentTypeVerdict(@Nullable String contentType, byte[] body, Function<byte[], Verdict> judge) {
    if (body.length > 0) {
      String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
      boolean json = mediaType.equals("application/json")
          || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
      if (!json) {
        return Verdict.of(Verdict.Kind.INVALID, "content type '" + contentType + "' is not JSON");
      }
    }
    return judge.apply(body);
  }

  // ---------------------------------------------------------------------------------------------
  // POST /v1/search

  private FuzzInput searchInput(long number, SplittableRandom random) {
    LinkedHashMap<String, String> fields = validSearch(random);
    int kind = random.nextInt(100);
    if (kind < 60) {
      String category = pick(random, TEXT_CATEGORIES);
      String field = pick(random, List.of("query", "query", "vector", "k", "service_name", "service_name",
          "dynamic_headers_required", "mode"));
      fields.put(field, searchValue(field, category, random));
      if (random.nextInt(4) == 0) {
        fields.put("mode", quote(pick(random, List.of("keyword", "vector", "hybrid", "KEYWORD", "Vector"))));
      }
      return searchBody(number, category, render(fields, random));
    } else if (kind < 70) {
      String category = "dimension";
      fields.put("vector", switch (random.nextInt(5)) {
        case 0 -> IntStream.range(0, dimension).mapToObj(i -> "0").collect(joinArray());
        case 1 -> IntStream.range(0, dimension).mapToObj(i -> "1e-46").collect(joinArray());
        case 2 -> vector(random, dimension + (random.nextBoolean() ? 1 : -1));
        case 3 -> vector(random, pick(random, List.of(0, 1, 4096, 4097)));
        default -> vector(random, dimension);
      });
      if (random.nextBoolean()) {
        fields.remove("query");
      }
      return searchBody(number, category, render(fields, random));
    }
    String category = pick(random, BODY_CATEGORIES);
    return bodyMutation(number, category, "/v1/search", render(fields, random), random, this::judgeSearch,
        () -> validSearch(random));
  }

  private LinkedHashMap<String, String> validSearch(SplittableRandom random) {
    LinkedHashMap<String, String> fields = new LinkedHashMap<>();
    fields.put("query", quote(pick(random, List.of("get a user", "create an issue", "weather forecast", "prices",
        "pokemon"))));
    if (random.nextBoolean()) {
      fields.put("k", Integer.toString(1 + random.nextInt(20)));
    }
    if (random.nextInt(3) == 0) {
      fields.put("service_name", quote(pick(random, catalogue).serviceName()));
    }
    if (random.nextInt(4) == 0) {
      fields.put("dynamic_headers_required", random.nextBoolean() ? "true" : "false");
    }
    if (random.nextInt(3) == 0) {
      fields.put("mode", quote(pick(random, List.of("hybrid", "vector", "keyword"))));
    }
    return fields;
  }

  private String searchValue(String field, String category, SplittableRandom random) {
    return switch (category) {
      case "sql-syntax", "lucene-syntax", "unicode", "control-chars", "path-separators" -> {
        String hostile = corpusText(category, random);
        if (field.equals("service_name") && random.nextBoolean()) {
          yield "[" + quote(hostile) + ", " + quote(pick(random, catalogue).serviceName()) + "]";
        }
        yield quote(hostile);
      }
      case "huge-strings" -> quote(hugeText(random, field.equals("query") ? RequestOracles.MAX_QUERY_CHARS : 1024, ""));
      case "wrong-types" -> pick(random, WRONG_TYPES);
      case "non-finite-numbers" -> field.equals("vector") ? vectorWith(random, dimension, pick(random, Hostile.NUMBER_LITERALS))
          : pick(random, Hostile.NUMBER_LITERALS);
      case "deep-nesting" -> nested(random, pick(random, List.of(3, 200, 254, 255, 256, 257, 1000, 50_000)));
      default -> throw new IllegalStateException(category);
    };
  }

  private FuzzInput searchBody(long number, String category, String body) {
    byte[] bytes = utf8(body);
    List<RequestOracles.SearchAsk> asks = new ArrayList<>();
    Verdict verdict = RequestOracles.search(bytes, dimension, asks);
    FuzzInput input = FuzzInput.json(number, category, "POST", "/v1/search", bytes, verdict);
    return verdict.isValid() ? input.withCheck(answer -> checkSearch(answer, asks.get(0))) : input;
  }

  private Verdict judgeSearch(byte[] body) {
    return RequestOracles.search(body, dimension, new ArrayList<>());
  }

  private void checkSearch(JsonNode answer, RequestOracles.SearchAsk ask) {
    JsonNode results = answer.get("results");
    expect(results != null && results.isArray(), "results is an array", answer);
    expect(results.size() <= ask.k(), "at most k=" + ask.k() + " results", answer);
    expect(answer.path("count").asInt(-1) == results.size(), "count equals the results", answer);
    expect(ask.mode().equals(answer.path("mode").asText()), "mode " + ask.mode(), answer);
    long eligible = catalogue.stream().filter(ability -> ask.services().isEmpty()
        || ask.services().contains(ability.serviceName())).filter(ability -> ask.dynamicHeadersRequired() == null
        || ask.dynamicHeadersRequired() == ability.dynamicHeadersRequired()).count();
    for (JsonNode result : results) {
      JsonNode ability = result.get("ability");
      expect(ask.services().isEmpty() || ask.services().contains(ability.path("service_name").asText()),
          "every result of service " + ask.services(), answer);
      expect(ask.dynamicHeadersRequired() == null
          || ask.dynamicHeadersRequired() == ability.path("dynamic_headers_required").asBoolean(),
          "every result with dynamic_headers_required=" + ask.dynamicHeadersRequired(), answer);
      expect(result.path("score").isNumber() && Double.isFinite(result.path("score").asDouble()), "a finite score",
          answer);
    }
    if (ask.mode().equals("vector")) {
      expect(results.size() == Math.min(ask.k(), eligible), "min(k, " + eligible + " eligible) results", answer);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // POST /v1/sync

  private FuzzInput syncInput(long number, SplittableRandom random) {
    LinkedHashMap<String, String> fields = new LinkedHashMap<>();
    if (random.nextInt(3) > 0) {
      fields.put("dry_run", "true");
    }
    if (random.nextBoolean()) {
      fields.put("direction", quote(pick(random, List.of("primary-to-secondary", "secondary_to_primary",
          " Bidirectional ", "bidirectional"))));
    }
    int kind = random.nextInt(10);
    if (kind < 5) {
      String category = pick(random, TEXT_CATEGORIES);
      String field = random.nextBoolean() ? "direction" : "dry_run";
      fields.put(field, switch (category) {
        case "huge-strings" -> quote(hugeText(random, 1024, ""));
        case "wrong-types" -> pick(random, WRONG_TYPES);
        case "non-finite-numbers" -> pick(random, Hostile.NUMBER_LITERALS);
        case "deep-nesting" -> nested(random, pick(random, List.of(3, 255, 256, 257, 10_000)));
        default -> quote(corpusText(category, random));
      });
      fields.putIfAbsent("dry_run", "true");
      byte[] body = utf8(render(fields, random));
      return FuzzInput.json(number, category, "POST", "/v1/sync", body, RequestOracles.sync(body, withPostgres));
    }
    fields.putIfAbsent("dry_run", "true");
    String category = pick(random, BODY_CATEGORIES);
    return bodyMutation(number, category, "/v1/sync", render(fields, random), random,
        body -> RequestOracles.sync(body, withPostgres), () -> new LinkedHashMap<>(fields));
  }

  // ---------------------------------------------------------------------------------------------
  // GET /v1/abilities

  private FuzzInput listInput(long number, SplittableRandom random) {
    List<Map.Entry<String, String>> parameters = new ArrayList<>();
    String category = pick(random, List.of("query-params", "sql-syntax", "lucene-syntax", "unicode", "control-chars",
        "path-separators", "huge-strings", "wrong-types"));
    int count = random.nextInt(4);
    for (int i = 0; i < count || parameters.isEmpty(); i++) {
      String name = random.nextInt(12) == 0 ? pick(random, List.of("Q", "limit ", "services", "service", "",
          "cursor[]", "q[]", "'; DROP TABLE abilities; --", "include_embedding", "offset", "sort"))
          : pick(random, List.copyOf(RequestOracles.LIST_PARAMETERS));
      parameters.add(Map.entry(sent(name), sent(listValue(name, category, random))));
    }
    List<RequestOracles.ListAsk> asks = new ArrayList<>();
    Verdict verdict = RequestOracles.list(parameters, asks);
    String target = "/v1/abilities" + queryString(parameters, random);
    uriLength(target, verdict);
    FuzzInput input = FuzzInput.json(number, category, "GET", target, (byte[]) null, verdict);
    return verdict.isValid() ? input.withCheck(answer -> checkList(answer, asks.get(0))) : input;
  }

  private String listValue(String name, String category, SplittableRandom random) {
    return switch (category) {
      case "sql-syntax", "lucene-syntax", "unicode", "control-chars", "path-separators" -> switch (name) {
        case "cursor" -> random.nextBoolean() ? RequestOracles.cursorAfter(corpusText(category, random))
            : corpusText(category, random);
        case "service_name" -> random.nextInt(3) == 0 ? pick(random, catalogue).serviceName() : corpusText(category, random);
        default -> corpusText(category, random);
      };
      case "huge-strings" -> hugeText(random, pick(random, List.of(100, 1000, 2000)), "");
      case "wrong-types" -> pick(random, List.of("", "null", "[]", "{}", "1.5", "-1", "0", "1001", "2147483648",
          "true", "TRUE", "yes", "1e2", "+5", "007", " 5", "5 ", "embedding,embedding", "embedding, ", ",", "NaN"));
      default -> switch (name) {
        case "service_name" -> random.nextInt(4) == 0 ? "" : pick(random, catalogue).serviceName();
        case "dynamic_headers_required" -> pick(random, List.of("true", "false", "", "True", "1"));
        case "q" -> pick(random, List.of("", "get", "GET", "%", "_", "\\", "'", "user", "Does", "ünï", "ÜNÏ",
            "title:x AND (y", "100%", "50%_off"));
        case "limit" -> pick(random, List.of("1", "2", "50", "1000", "0", "1001", "-1", "", "+3", "03"));
        case "cursor" -> random.nextBoolean() ? RequestOracles.cursorAfter(pick(random, catalogue).abilityId())
            : pick(random, List.of("", "x", "YTo", "YTpb", "a:github", "%%%", RequestOracles.cursorAfter(""),
                RequestOracles.cursorAfter("\u0000"), RequestOracles.cursorAfter("a\u0000b"),
                RequestOracles.cursorAfter("\ud800"), RequestOracles.cursorAfter("z".repeat(300)), "=", "YTpn====",
                java.util.Base64.getEncoder().encodeToString(utf8("a:+/+/")), RequestOracles.cursorAfter("'; --")));
        case "include" -> pick(random, List.of("embedding", "EMBEDDING", "embedding,embedding", "", " embedding ",
            "metadata", "embedding,x"));
        default -> pick(random, List.of("", "1", "x"));
      };
    };
  }

  private void checkList(JsonNode answer, RequestOracles.ListAsk ask) {
    List<String> expected = RequestOracles.expectedPage(catalogue, ask);
    List<String> actual = new ArrayList<>();
    for (JsonNode ability : answer.path("abilities")) {
      actual.add(ability.path("ability_id").asText());
      expect(ability.has("embedding") == ask.embedding(), "embedding included only on include=embedding", answer);
    }
    expect(actual.equals(expected), "the page " + expected + " of the catalogue, taking the filter literally", answer);
  }

  // ---------------------------------------------------------------------------------------------
  // GET and DELETE /v1/abilities/{ability_id}

  private FuzzInput idInput(long number, SplittableRandom random, String method) {
    String category;
    String id;
    boolean present = false;
    int kind = random.nextInt(10);
    if (kind < 3 && method.equals("GET")) {
      category = "path-ids";
      id = pick(random, catalogue).abilityId();
      present = true;
    } else if (kind < 6) {
      category = "path-ids";
      id = pick(random, catalogue).abilityId() + pick(random, List.of(";x", ";", ";jsessionid=1", "/", "/x", "\\", ".",
          "..", "%", "%2F", "?", "#", " ", "\u0000", "\t", "/..", "\ud800", "*", ",", "=x", "~", "'", "\""));
    } else if (kind < 9) {
      category = pick(random, List.of("sql-syntax", "lucene-syntax", "unicode", "control-chars", "path-separators"));
      id = corpusText(category, random);
    } else {
      category = "huge-strings";
      id = hugeText(random, 256, "");
    }
    id = sent(id);
    List<Map.Entry<String, String>> parameters = new ArrayList<>();
    if (random.nextInt(4) == 0) {
      parameters.add(Map.entry(random.nextInt(3) == 0 ? pick(random, List.of("x", "ability_id", "q")) : "include",
          pick(random, List.of("embedding", "", "metadata", "embedding,embedding", " embedding"))));
    }
    Verdict verdict = RequestOracles.abilityId(id);
    verdict.merge(RequestOracles.plainParameters(parameters, method.equals("GET") ? Set.of("include") : Set.of()));
    boolean embedding = parameters.stream().anyMatch(parameter -> parameter.getKey().equals("include"));
    String target = "/v1/abilities/" + encodePathSegment(id, random) + queryString(parameters, random);
    uriLength(target, verdict);
    if (method.equals("GET") && !present && verdict.isValid()) {
      verdict = Verdict.of(Verdict.Kind.INVALID, "no such ability: 404");
    }
    FuzzInput input = FuzzInput.json(number, category, method, target, (byte[]) null, verdict);
    if (!verdict.isValid()) {
      return input;
    }
    String intended = id;
    if (method.equals("DELETE")) {
      return input.withCheck(answer -> {
        expect(intended.equals(answer.path("ability_id").asText()), "ability_id '" + intended + "' as sent", answer);
        expect(!answer.path("deleted").asBoolean(), "deleted false: no ability has that id", answer);
      });
    }
    Ability expected = catalogue.stream().filter(ability -> ability.abilityId().equals(intended)).findFirst()
        .orElseThrow();
    JsonNode expectedJson = parseTree(AbilityJson.toJson(expected, embedding));
    return input.withCheck(answer -> expect(answer.equals(expectedJson), "the ability as stored: " + expectedJson,
        answer));
  }

  // ---------------------------------------------------------------------------------------------
  // GET /v1/services, /v1/stats and the probes

  private FuzzInput plainGetInput(long number, SplittableRandom random) {
    String path = pick(random, List.of("/v1/services", "/v1/stats", "/v1/services", "/v1/stats", "/health", "/ready",
        "/metrics", "/openapi.json"));
    List<Map.Entry<String, String>> parameters = new ArrayList<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      parameters.add(Map.entry(pick(random, List.of("service_name", "q", "x", "limit", "'; DROP TABLE abilities; --",
          "format")), Hostile.pick(random, Hostile.printable())));
    }
    Verdict verdict = path.startsWith("/v1/") ? RequestOracles.plainParameters(parameters, Set.of())
        : Verdict.of(Verdict.Kind.UNKNOWN, "probes may ignore parameters");
    return FuzzInput.json(number, "query-params", "GET", path + queryString(parameters, random), (byte[]) null, verdict);
  }

  // ---------------------------------------------------------------------------------------------
  // Wrong methods and paths

  private FuzzInput methodInput(long number, SplittableRandom random) {
    Map<String, Set<String>> allowed = Map.of("/v1/abilities", Set.of("GET", "POST"),
        "/v1/abilities/github-get-user", Set.of("GET", "DELETE"), "/v1/search", Set.of("POST"),
        "/v1/services", Set.of("GET"), "/v1/stats", Set.of("GET"), "/v1/sync", Set.of("POST"),
        "/v1", Set.of(), "/v1/", Set.of(), "/v2/abilities", Set.of(), "/v1/abilities/a/b", Set.of());
    String path = pick(random, List.copyOf(allowed.keySet()).stream().sorted().toList());
    String method = pick(random, List.of("GET", "POST", "PUT", "PATCH", "DELETE", "TRACE", "FUZZ", "PROPFIND", "get",
        "QUERY"));
    Verdict verdict;
    if (allowed.get(path).contains(method)) {
      verdict = Verdict.of(Verdict.Kind.UNKNOWN, "an allowed method, with whatever body");
    } else {
      verdict = Verdict.of(Verdict.Kind.INVALID, method + " is not allowed on " + path);
    }
    if (method.equals("DELETE") && path.equals("/v1/abilities/github-get-user")) {
      path = "/v1/abilities/fuzz-absent-" + number;
    }
    byte[] body = random.nextBoolean() ? utf8("{}") : null;
    Map<String, String> headers = new LinkedHashMap<>();
    if (body != null) {
      headers.put("Content-Type", "application/json");
    }
    return new FuzzInput(number, "method", method, path, headers, body, false, null, verdict, null);
  }

  // ---------------------------------------------------------------------------------------------
  // Malformed HTTP over a plain socket

  private FuzzInput rawInput(long number, SplittableRandom random) {
    String body = "{\"query\": \"x\"}";
    String json = "Host: 127.0.0.1\r\nContent-Type: application/json\r\n";
    Verdict.Kind invalid = Verdict.Kind.INVALID;
    Verdict.Kind either = Verdict.Kind.UNKNOWN;
    List<Map.Entry<String, Verdict.Kind>> requests = List.of(
        Map.entry("GET /v1/abilities?q=%zz HTTP/1.1\r\nHost: x\r\n\r\n", either),
        Map.entry("GET /v1/abilities?q=% HTTP/1.1\r\nHost: x\r\n\r\n", either),
        Map.entry("GET /v1/abilities/%zz HTTP/1.1\r\nHost: x\r\n\r\n", either),
        Map.entry("GET /v1/abilities/%C0%AF HTTP/1.1\r\nHost: x\r\n\r\n", invalid),
        Map.entry("GET /v1/abilities/%ED%A0%80 HTTP/1.1\r\nHost: x\r\n\r\n", invalid),
        Map.entry("GET /v1/abilities?q=%ED%A0%80 HTTP/1.1\r\nHost: x\r\n\r\n", either),
        Map.entry("GET /v1/abilities?q=%FF HTTP/1.1\r\nHost: x\r\n\r\n", either),
        Map.entry("GET /v1/abilities/%00 HTTP/1.1\r\nHost: x\r\n\r\n", invalid),
        Map.entry("GET /v1/abilities/a%2Fb HTTP/1.1\r\nHost: x\r\n\r\n", invalid),
        Map.entry("GET /v1/abilities/a%5Cb HTTP/1.1\r\nHost: x\r\n\r\n", invalid),
        Map.entry("GET /v1/abilities/%2E%2E HTTP/1.1\r\nHost: x\r\n\r\n", invalid),
        Map.entry("GET /v1/abilities/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", invalid),
        Map.entry("GET /v1/abilities/\u00e9 HTTP/1.1\r\nHost: x\r\n\r\n", either),
        Map.entry("GET /v1/abilities/a b HTTP/1.1\r\nHost: x\r\n\r\n", invalid),
        Map.entry("GET /v1/abilities?" + "q=x&".repeat(3000) + " HTTP/1.1\r\nHost: x\r\n\r\n", invalid),
        Map.entry("GET /v1/abilities/" + "x".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", invalid),
        Map.entry("GET /v1/stats HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(20_000) + "\r\n\r\n", invalid),
        Map.entry("GET /v1/stats HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", invalid),
        Map.entry("GET /v1/stats HTTP/1.1\r\nHost: x\r\n Folded: continuation\r\n\r\n", invalid),
        Map.entry("GET /v1/stats HTTP/1.1\r\nHost: x\r\nX-Nul: a\u0000b\r\n\r\n", invalid),
        Map.entry("GET /v1/stats HTTP/9.9\r\nHost: x\r\n\r\n", invalid),
        Map.entry("GET /v1/stats\r\n\r\n", invalid),
        Map.entry("GET\r\n\r\n", invalid),
        Map.entry("BREW /v1/stats HTTP/1.1\r\nHost: x\r\n\r\n", invalid),
        Map.entry("GET /v1/stats HTTP/1.1\r\n\r\n", invalid),
        Map.entry("GET v1/stats HTTP/1.1\r\nHost: x\r\n\r\n", invalid),
        Map.entry("GET http://evil.example/v1/stats HTTP/1.1\r\nHost: x\r\n\r\n", either),
        Map.entry("POST /v1/search HTTP/1.1\r\n" + json + "Content-Length: 1000\r\n\r\n" + body, invalid),
        Map.entry("POST /v1/search HTTP/1.1\r\n" + json + "Content-Length: abc\r\n\r\n" + body, invalid),
        Map.entry("POST /v1/search HTTP/1.1\r\n" + json + "Content-Length: -1\r\n\r\n" + body, invalid),
        Map.entry("POST /v1/search HTTP/1.1\r\n" + json + "Content-Length: 5\r\nContent-Length: 9\r\n\r\n" + body,
            invalid),
        Map.entry("POST /v1/search HTTP/1.1\r\n" + json + "Content-Length: 99999999999999999999\r\n\r\n" + body,
            invalid),
        Map.entry("POST /v1/search HTTP/1.1\r\n" + json + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + body
            + "\r\n0\r\n\r\n", invalid),
        Map.entry("POST /v1/search HTTP/1.1\r\n" + json + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"que\r\n", invalid),
        Map.entry("POST /v1/search HTTP/1.1\r\n" + json + "Transfer-Encoding: chunked\r\nContent-Length: 14\r\n\r\n"
            + body, invalid),
        Map.entry("POST /v1/search HTTP/1.1\r\n" + json + "Transfer-Encoding: gzip\r\n\r\n" + body, invalid),
        Map.entry("POST /v1/search HTTP/1.1\r\n" + json + "Content-Encoding: gzip\r\nContent-Length: 14\r\n\r\n"
            + body, invalid),
        Map.entry("POST /v1/abilities HTTP/1.1\r\n" + json + "Content-Length: 4\r\n\r\n{\"ab", invalid),
        Map.entry("POST /v1/abilities HTTP/1.1\r\n" + json + "Content-Length: 100\r\n\r\n{\"ability_id\": \"fuzz-raw\"",
            invalid),
        Map.entry("DELETE /v1/abilities/github-get-user;x HTTP/1.1\r\nHost: x\r\n\r\n", either),
        Map.entry("DELETE /v1/abilities/github-get-user%3Bx HTTP/1.1\r\nHost: x\r\n\r\n", either),
        Map.entry("DELETE /v1/abilities/github-get-user;jsessionid=1 HTTP/1.1\r\nHost: x\r\n\r\n", either),
        Map.entry("DELETE /v1/abilities/github-get-user/. HTTP/1.1\r\nHost: x\r\n\r\n", either),
        Map.entry("DELETE /v1/abilities/github-get-user/x/.. HTTP/1.1\r\nHost: x\r\n\r\n", either),
        Map.entry("DELETE /v1/abilities/github-get-user%2F HTTP/1.1\r\nHost: x\r\n\r\n", either),
        Map.entry("DELETE /v1/abilities//github-get-user HTTP/1.1\r\nHost: x\r\n\r\n", either),
        Map.entry("DELETE /v1//abilities/github-get-user HTTP/1.1\r\nHost: x\r\n\r\n", either),
        Map.entry("DELETE /v1/abilities/github-get-user%00 HTTP/1.1\r\nHost: x\r\n\r\n", either),
        Map.entry("DELETE /v1/abilities/%67ithub-get-user%3B HTTP/1.1\r\nHost: x\r\n\r\n", either));
    Map.Entry<String, Verdict.Kind> request = requests.get(random.nextInt(requests.size()));
    String firstLine = request.getKey().split("\r\n", 2)[0];
    String[] parts = firstLine.split(" ", 3);
    Verdict verdict = Verdict.of(request.getValue(), request.getValue() == invalid ? "malformed HTTP"
        : "well-formed enough to be served; must change nothing");
    return new FuzzInput(number, "http-syntax", parts[0], parts.length > 1 ? parts[1] : "", Map.of(), null, false,
        request.getKey().getBytes(StandardCharsets.UTF_8), verdict, null);
  }

  static String encodePathSegment(String segment, SplittableRandom random) {
    if (segment.equals(".") || segment.equals("..")) {
      // RFC 3986 dot segments: a client sends them encoded, or they are removed from the path
      return segment.replace(".", random.nextBoolean() ? "%2E" : "%2e");
    }
    StringBuilder encoded = new StringBuilder();
    boolean rawSubDelimiters = random.nextBoolean();
    boolean lowerHex = random.nextInt(4) == 0;
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0;
      if ((unreserved && random.nextInt(20) > 0) || (rawSubDelimiters && "!$&'()*+,;=:@".indexOf(c) >= 0)) {
        encoded.append(c);
      } else {
        String hex = String.format("%%%02X", b & 0xFF);
        encoded.append(lowerHex ? hex.toLowerCase(Locale.ROOT) : hex);
      }
    }
    return encoded.toString();
  }

  /** {@code ?a=b&...} with values form-encoded, or nothing for no parameters. */
  static String queryString(List<Map.Entry<String, String>> parameters, SplittableRandom random) {
    if (parameters.isEmpty()) {
      return "";
    }
    boolean percentSpaces = random.nextBoolean();
    return parameters.stream().map(parameter -> {
      String name = URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8);
      String value = URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8);
      if (percentSpaces) {
        name = name.replace("+", "%20");
        value = value.replace("+", "%20");
      }
      return name + "=" + value;
    }).collect(Collectors.joining("&", "?", ""));
  }

  /** Jetty takes request lines of up to 8 KiB: a longer URI is refused (414) whatever it says. */
  private static void uriLength(String target, Verdict verdict) {
    if (target.length() > 8192) {
      verdict.invalid("the URI is longer than 8 KiB");
    } else if (target.length() > 7000) {
      verdict.unknown("the URI is nearly 8 KiB long");
    }
  }

  /** The text as UTF-8 carries it: an unpaired surrogate becomes '?'. */
  static String sent(String text) {
    return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }

  static <T> T pick(SplittableRandom random, List<T> values) {
    return AbilityRecords.pick(random, values);
  }

  private static String vectorWith(SplittableRandom random, int size, String literal) {
    int at = random.nextInt(size);
    return IntStream.range(0, size).mapToObj(i -> i == at ? literal : Float.toString((float) (random.nextDouble() * 2 - 1)))
        .collect(joinArray());
  }

  private static java.util.stream.Collector<CharSequence, ?, String> joinArray() {
    return Collectors.joining(",", "[", "]");
  }

  private static JsonNode parseTree(String json) {
    try {
      return AbilityOracle.STRICT.readTree(json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void expect(boolean condition, String what, JsonNode answer) {
    if (!condition) {
      String shown = answer.toString();
      throw new AssertionError("a valid input's answer must show " + what + "; it was "
          + (shown.length() > 1500 ? shown.substring(0, 1500) + "…" : shown));
    }
  }
}
