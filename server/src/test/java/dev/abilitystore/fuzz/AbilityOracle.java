package dev.abilitystore.fuzz;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.abilitystore.identity.VectorIds;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An independent model of the documented rules of an ability (README, OpenAPI
 * {@code AbilityInput}), used to decide what the server and the importer must accept and what
 * they must refuse. It adds what both stores need to hold a value unchanged: PostgreSQL's
 * {@code numeric} range for metadata numbers and its {@code timestamp} range.
 */
public final class AbilityOracle {
  public static final int MAX_ID = 256;
  public static final int MAX_NAME = 1024;
  public static final int MAX_SERVICE = 256;
  public static final int MAX_DESCRIPTION_BYTES = 64 * 1024;
  public static final int MAX_KEYS = 64;
  public static final int MAX_KEY = 512;
  public static final int MAX_METADATA_BYTES = 1024 * 1024;
  public static final int MAX_BATCH = 1000;
  /** PostgreSQL's numeric: at most 131072 digits before the decimal point, 16383 after. */
  public static final int PG_MAX_INTEGER_DIGITS = 131_072;
  public static final int PG_MAX_FRACTION_DIGITS = 16_383;
  /**
   * PostgreSQL's jsonb writes numbers in plain notation ({@code 1e-999} as {@code 0.000...1}), and
   * the stores read JSON numbers of at most 1000 characters: a longer one makes the row unreadable.
   */
  public static final int MAX_PLAIN_NUMBER_CHARS = 1000;
  /** PostgreSQL's timestamp: 4713 BC to 294276 AD. */
  public static final int PG_MIN_YEAR = -4712;
  public static final int PG_MAX_YEAR = 294_276;

  private static final Set<String> FIELDS = Set.of("ability_id", "vector_id", "ability_name", "service_name",
      "description", "embedding", "dynamic_header_keys", "dynamic_headers_required", "metadata", "created_at",
      "updated_at", "content_hash");
  private static final DateTimeFormatter LOCAL_TIMESTAMP = new DateTimeFormatterBuilder().parseCaseInsensitive()
      .append(DateTimeFormatter.ISO_LOCAL_DATE).optionalStart().appendLiteral('T').optionalEnd()
      .optionalStart().appendLiteral(' ').optionalEnd().append(DateTimeFormatter.ISO_LOCAL_TIME).toFormatter();

  /** Parses as strictly as the server: no NaN, no trailing content, nesting up to 256. */
  public static final ObjectMapper STRICT = mapper(false);
  private static final ObjectMapper DUPLICATES = mapper(true);

  private final int dimension;

  public AbilityOracle(int dimension) {
    this.dimension = dimension;
  }

  private static ObjectMapper mapper(boolean duplicates) {
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(256).maxNumberLength(1000)
            .maxStringLength(64 * 1024 * 1024).build())
        .configure(StreamReadFeature.STRICT_DUPLICATE_DETECTION, duplicates)
        .build();
    return JsonMapper.builder(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
  }

  /** The JSON of {@code bytes}, or null when it is not strictly one JSON value. */
  public static @Nullable JsonNode parse(byte[] bytes) {
    try {
      JsonNode node = STRICT.readTree(bytes);
      return node == null || node.isMissingNode() ? null : node;
    } catch (IOException e) {
      return null;
    }
  }

  /** True when the JSON repeats a field name in an object. */
  public static boolean hasDuplicateFields(byte[] bytes) {
    try {
      DUPLICATES.readTree(bytes);
      return false;
    } catch (IOException e) {
      return e.getMessage() != null && e.getMessage().contains("Duplicate field");
    }
  }

  /** True when any object of the JSON values in {@code bytes}, one after another, repeats a field name. */
  public static boolean hasDuplicateFieldsAnywhere(byte[] bytes) {
    try (com.fasterxml.jackson.core.JsonParser parser = DUPLICATES.getFactory().createParser(bytes)) {
      while (parser.nextToken() != null) {
        // read on: the parser checks
      }
      return false;
    } catch (IOException e) {
      return e.getMessage() != null && e.getMessage().contains("Duplicate field");
    }
  }

  /**
   * A request body that must be one JSON object: the {@code object}, or, when it is none, the
   * verdict on it ({@code refusal}).
   */
  public record ObjectBody(@Nullable ObjectNode object, @Nullable Verdict refusal) {
    /** Reads {@code body}: invalid unless strictly one JSON value and an object; unknown when it repeats a field. */
    public static ObjectBody read(byte[] body) {
      JsonNode root = parse(body);
      if (root == null) {
        return new ObjectBody(null, Verdict.of(Verdict.Kind.INVALID, "not strictly one JSON value"));
      }
      if (hasDuplicateFields(body)) {
        return new ObjectBody(null, Verdict.of(Verdict.Kind.UNKNOWN, "repeats a field name"));
      }
      if (!(root instanceof ObjectNode object)) {
        return new ObjectBody(null, Verdict.of(Verdict.Kind.INVALID, "not an object"));
      }
      return new ObjectBody(object, null);
    }
  }

  /** Judges the body of {@code POST /v1/abilities}: one ability object, or {@code {"abilities": [...]}}. */
  public Verdict judgeStoreBody(byte[] body) {
    ObjectBody read = ObjectBody.read(body);
    ObjectNode object = read.object();
    if (object == null) {
      return java.util.Objects.requireNonNull(read.refusal());
    }
    if (object.isEmpty()) {
      return Verdict.of(Verdict.Kind.INVALID, "empty object");
    }
    if (!object.fieldNames().next().equals("abilities")) {
      return judge(object);
    }
    Verdict verdict = Verdict.valid();
    JsonNode abilities = object.get("abilities");
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("abilities")) {
        verdict.invalid("batch field " + name);
      }
    }
    if (!abilities.isArray()) {
      return verdict.invalid("abilities is not an array");
    }
    if (abilities.size() > MAX_BATCH) {
      return verdict.add(Verdict.Kind.TOO_LARGE, "more than " + MAX_BATCH + " abilities");
    }
    for (int i = 0; i < abilities.size(); i++) {
      JsonNode ability = abilities.get(i);
      if (!ability.isObject()) {
        verdict.invalid("abilities[" + i + "] is not an object");
      } else {
        Verdict one = judge((ObjectNode) ability);
        if (!one.isValid()) {
          verdict.merge(prefixed("abilities[" + i + "].", one));
        }
      }
    }
    return verdict;
  }

  private static Verdict prefixed(String prefix, Verdict verdict) {
    Verdict copy = Verdict.valid();
    for (String reason : verdict.reasons()) {
      copy.add(verdict.kind(), prefix + reason);
    }
    return copy;
  }

  /** Judges one ability object. */
  public Verdict judge(ObjectNode ability) {
    Verdict verdict = Verdict.valid();
    for (Iterator<String> names = ability.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        verdict.invalid("unknown field " + name);
      }
    }
    String id = requiredText(ability, "ability_id", verdict);
    if (id != null) {
      String problem = idProblem(id);
      if (problem != null) {
        verdict.invalid("ability_id " + problem);
      }
    }
    String name = requiredText(ability, "ability_name", verdict);
    if (name != null) {
      line("ability_name", name, MAX_NAME, verdict);
    }
    String service = requiredText(ability, "service_name", verdict);
    if (service != null) {
      line("service_name", service, MAX_SERVICE, verdict);
    }
    String description = requiredText(ability, "description", verdict);
    if (description != null) {
      if (encodingProblem(description) != null) {
        verdict.invalid("description " + encodingProblem(description));
      } else if (description.getBytes(StandardCharsets.UTF_8).length > MAX_DESCRIPTION_BYTES) {
        verdict.invalid("description over 64 KiB");
      }
    }
    embedding(present(ability, "embedding"), verdict);
    JsonNode metadata = present(ability, "metadata");
    JsonNode keys = ability.get("dynamic_header_keys");
    if (keys != null) {
      headerKeys("dynamic_header_keys", keys.isNull() ? null : keys, verdict);
      if (metadata != null && metadata.has("dynamic_header_keys")) {
        verdict.unknown("both dynamic_header_keys and metadata.dynamic_header_keys: which counts depends on order");
      }
    } else if (metadata != null && metadata.isObject() && metadata.get("dynamic_header_keys") instanceof JsonNode
        nested && nested.isArray()) {
      headerKeys("metadata.dynamic_header_keys", nested, verdict);
    }
    JsonNode required = present(ability, "dynamic_headers_required");
    if (required != null && !required.isBoolean()) {
      verdict.invalid("dynamic_headers_required is not a boolean");
    }
    JsonNode vectorId = present(ability, "vector_id");
    if (vectorId != null) {
      if (!vectorId.isInt()) {
        verdict.invalid("vector_id is not a 32-bit integer");
      } else if (id != null && vectorId.intValue() != VectorIds.of(id)) {
        verdict.invalid("vector_id contradicts ability_id");
      }
    }
    if (metadata != null) {
      if (!metadata.isObject()) {
        verdict.invalid("metadata is not an object");
      } else {
        metadata(metadata, verdict);
      }
    }
    timestamp("created_at", present(ability, "created_at"), verdict);
    timestamp("updated_at", present(ability, "updated_at"), verdict);
    return verdict;
  }

  private static @Nullable JsonNode present(ObjectNode object, String field) {
    JsonNode value = object.get(field);
    return value == null || value.isNull() ? null : value;
  }

  private static @Nullable String requiredText(ObjectNode ability, String field, Verdict verdict) {
    JsonNode value = present(ability, field);
    if (value == null) {
      verdict.invalid(field + " is missing");
      return null;
    }
    if (!value.isTextual()) {
      verdict.invalid(field + " is not a string");
      return null;
    }
    return value.textValue();
  }

  /** Why {@code id} is no valid ability id, or null. */
  public static @Nullable String idProblem(String id) {
    if (id.isEmpty()) {
      return "is empty";
    }
    if (id.length() > MAX_ID) {
      return "is longer than " + MAX_ID;
    }
    String encoding = encodingProblem(id);
    if (encoding != null) {
      return encoding;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        return "holds white space";
      }
      if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
        return "holds a control character";
      }
      if (c == '/' || c == '\\') {
        return "holds a path separator";
      }
    }
    return null;
  }

  private static void line(String field, String value, int max, Verdict verdict) {
    if (value.isBlank()) {
      verdict.invalid(field + " is blank");
    } else if (value.length() > max) {
      verdict.invalid(field + " is longer than " + max);
    } else if (encodingProblem(value) != null) {
      verdict.invalid(field + " " + encodingProblem(value));
    } else if (value.chars().anyMatch(Character::isISOControl)) {
      verdict.invalid(field + " holds a control character");
    }
  }

  /** NUL or an unpaired surrogate: what no store keeps unchanged. */
  public static @Nullable String encodingProblem(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0) {
        return "holds NUL";
      }
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "holds an unpaired surrogate";
      }
    }
    return null;
  }

  private void embedding(@Nullable JsonNode embedding, Verdict verdict) {
    if (embedding == null) {
      return;
    }
    if (!embedding.isArray()) {
      verdict.invalid("embedding is not an array");
      return;
    }
    boolean nonZero = false;
    for (int i = 0; i < embedding.size(); i++) {
      JsonNode component = embedding.get(i);
      if (!component.isNumber()) {
        verdict.invalid("embedding[" + i + "] is not a number");
        return;
      }
      float value = component.isBigDecimal() ? component.decimalValue().floatValue() : component.floatValue();
      if (component.isBigInteger()) {
        value = component.bigIntegerValue().floatValue();
      }
      if (!Float.isFinite(value)) {
        verdict.invalid("embedding[" + i + "] overflows a float");
        return;
      }
      nonZero |= value != 0;
    }
    if (embedding.size() != dimension) {
      verdict.invalid("embedding has " + embedding.size() + " components, not " + dimension);
    } else if (!nonZero) {
      verdict.invalid("embedding is all zeros");
    }
  }

  private static void headerKeys(String field, @Nullable JsonNode keys, Verdict verdict) {
    if (keys == null) {
      return;
    }
    if (!keys.isArray()) {
      verdict.invalid(field + " is not an array");
      return;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < keys.size(); i++) {
      if (!keys.get(i).isTextual()) {
        verdict.invalid(field + "[" + i + "] is not a string");
        continue;
      }
      String key = keys.get(i).textValue();
      Verdict one = Verdict.valid();
      line(field + "[" + i + "]", key, MAX_KEY, one);
      if (!one.isValid()) {
        verdict.merge(one);
      } else if (!seen.add(key)) {
        verdict.invalid(field + "[" + i + "] repeats a key");
      }
    }
    if (keys.size() > MAX_KEYS) {
      verdict.invalid(field + " holds more than " + MAX_KEYS + " keys");
    }
  }

  private static void metadata(JsonNode metadata, Verdict verdict) {
    value("metadata", metadata, verdict);
    if (!verdict.isValid()) {
      return;
    }
    int bytes;
    try {
      bytes = STRICT.writeValueAsBytes(metadata).length;
    } catch (IOException e) {
      verdict.unknown("metadata cannot be written: " + e.getMessage());
      return;
    }
    if (Math.abs(bytes - MAX_METADATA_BYTES) < 16 * 1024) {
      verdict.unknown("metadata is about 1 MiB");
    } else if (bytes > MAX_METADATA_BYTES) {
      verdict.invalid("metadata over 1 MiB");
    }
  }

  private static void value(String path, JsonNode value, Verdict verdict) {
    if (value.isTextual() && encodingProblem(value.textValue()) != null) {
      verdict.invalid(path + " " + encodingProblem(value.textValue()));
    } else if (value.isNumber()) {
      BigDecimal decimal = value.isBigDecimal() ? value.decimalValue() : new BigDecimal(value.asText());
      String problem = postgresNumberProblem(decimal);
      if (problem != null) {
        verdict.invalid(path + " " + problem + " (" + abbreviated(value.asText()) + ")");
      }
    } else if (value.isObject()) {
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        if (encodingProblem(field.getKey()) != null) {
          verdict.invalid(path + " key " + encodingProblem(field.getKey()));
        }
        value(path + "." + field.getKey(), field.getValue(), verdict);
      }
    } else if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        value(path + "[" + i + "]", value.get(i), verdict);
      }
    }
  }

  private static void timestamp(String field, @Nullable JsonNode value, Verdict verdict) {
    if (value == null) {
      return;
    }
    if (!value.isTextual()) {
      verdict.invalid(field + " is not a string");
      return;
    }
    Instant instant = parseTimestamp(value.textValue());
    if (instant == null) {
      verdict.invalid(field + " is not an ISO-8601 timestamp");
      return;
    }
    int year = instant.atOffset(ZoneOffset.UTC).getYear();
    if (year < PG_MIN_YEAR || year > PG_MAX_YEAR) {
      verdict.invalid(field + " is outside PostgreSQL's timestamp range (" + value.textValue() + ")");
    }
  }

  /** The instant of an ISO-8601 timestamp (UTC without an offset), or null. */
  public static @Nullable Instant parseTimestamp(String text) {
    String trimmed = text.trim();
    try {
      return OffsetDateTime.parse(trimmed.replace(' ', 'T')).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(trimmed, LOCAL_TIMESTAMP).toInstant(ZoneOffset.UTC);
      } catch (java.time.DateTimeException again) {
        return null;
      }
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }

  /** Why PostgreSQL's jsonb cannot keep {@code number} so that it reads back, or null. */
  static @Nullable String postgresNumberProblem(BigDecimal number) {
    if (number.signum() == 0) {
      return null;
    }
    BigDecimal stripped = number.stripTrailingZeros();
    long integerDigits = (long) stripped.precision() - stripped.scale();
    if (integerDigits > PG_MAX_INTEGER_DIGITS || stripped.scale() > PG_MAX_FRACTION_DIGITS) {
      return "is a number outside PostgreSQL's numeric range";
    }
    long plainChars = Math.max(integerDigits, 1) + (stripped.scale() > 0 ? 1 + stripped.scale() : 0);
    if (plainChars > MAX_PLAIN_NUMBER_CHARS) {
      return "is a number of " + plainChars + " digits in plain notation, which PostgreSQL's jsonb writes and no "
          + "store reads back";
    }
    return null;
  }

  private static String abbreviated(String text) {
    return text.length() <= 40 ? text : text.substring(0, 20) + "…(" + text.length() + " chars)";
  }

  /** Timestamps that look like ones, with whether they are valid. */
  public static final List<Map.Entry<String, Boolean>> TIMESTAMPS = List.of(
      Map.entry("2026-01-02T03:04:05Z", true),
      Map.entry("2026-01-02T03:04:05.123456Z", true),
      Map.entry("2026-01-02T03:04:05.123456789Z", true),
      Map.entry("2026-01-02 03:04:05", true),
      Map.entry("2026-01-02T03:04:05+05:30", true),
      Map.entry("1970-01-01T00:00:00Z", true),
      Map.entry("0001-01-01T00:00:00Z", true),
      Map.entry("9999-12-31T23:59:59.999999Z", true),
      Map.entry("yesterday", false),
      Map.entry("", false),
      Map.entry("2026-13-01T00:00:00Z", false),
      Map.entry("2026-02-30T00:00:00Z", false),
      Map.entry("2026-01-02T25:00:00Z", false),
      Map.entry("2026-01-02", false),
      Map.entry("1767225600", false),
      Map.entry("2026-01-02T03:04:05Z'; DROP TABLE abilities; --", false),
      Map.entry("+300000-01-01T00:00:00Z", false),
      Map.entry("-5000-01-01T00:00:00Z", false),
      Map.entry("+999999999-12-31T23:59:59.999999999Z", false));
}
