package dev.abilitystore.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.abilitystore.Ability;
import dev.abilitystore.Embedding;
import dev.abilitystore.FieldError;
import dev.abilitystore.InvalidAbilityException;
import dev.abilitystore.InvalidInputException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes abilities in the original system's JSON format.
 *
 * <p>Reading is strict about types and names: an unknown field, a string where a number belongs
 * or an unparseable timestamp is reported with the field's name, all errors of one object at
 * once. {@code vector_id} and {@code dynamic_headers_required} are derived values: they are
 * accepted as input, a {@code vector_id} that contradicts the ability id is an error, and
 * {@code dynamic_headers_required} is recomputed (redaction may add keys). As the original did,
 * {@code dynamic_header_keys} nested in {@code metadata} stand in for a missing top-level list.
 * Timestamps without an offset (PostgreSQL's {@code TIMESTAMP}) are read as UTC. Thread-safe.
 */
public final class AbilityJson {
  /** Fields an ability object may carry. */
  public static final Set<String> FIELDS = Set.of("ability_id", "vector_id", "ability_name", "service_name",
      "description", "embedding", "dynamic_header_keys", "dynamic_headers_required", "metadata", "created_at",
      "updated_at", "content_hash");

  private static final DateTimeFormatter LOCAL_TIMESTAMP = new DateTimeFormatterBuilder()
      .parseCaseInsensitive()
      .append(DateTimeFormatter.ISO_LOCAL_DATE)
      .optionalStart().appendLiteral('T').optionalEnd()
      .optionalStart().appendLiteral(' ').optionalEnd()
      .append(DateTimeFormatter.ISO_LOCAL_TIME)
      .toFormatter();

  private AbilityJson() {}

  /** Parses one ability object. */
  public static Ability fromJson(String json) {
    try (JsonParser parser = JsonSupport.FACTORY.createParser(json)) {
      return readOne(parser);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("malformed JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses one ability object from UTF-8 bytes {@code [offset, offset + length)}. */
  public static Ability fromJson(byte[] utf8, int offset, int length) {
    try (JsonParser parser = JsonSupport.FACTORY.createParser(utf8, offset, length)) {
      return readOne(parser);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("malformed JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the ability as compact UTF-8 JSON; the embedding only when {@code includeEmbedding}. */
  public static byte[] toJsonBytes(Ability ability, boolean includeEmbedding) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(512);
    try (JsonGenerator generator = JsonSupport.FACTORY.createGenerator(out)) {
      write(generator, ability, includeEmbedding);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static Ability readOne(JsonParser parser) throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      throw new InvalidInputException("an ability must be a JSON object");
    }
    Ability ability = read(parser);
    if (parser.nextToken() != null) {
      throw new InvalidInputException("unexpected content after the ability object");
    }
    return ability;
  }

  /**
   * Reads the object the parser stands on ({@link JsonToken#START_OBJECT}, or the first
   * {@link JsonToken#FIELD_NAME} inside it) and leaves the parser on its {@link JsonToken#END_OBJECT}.
   *
   * @throws InvalidAbilityException if a field has the wrong type or a required one is missing
   */
  public static Ability read(JsonParser parser) throws IOException {
    ObjectReading reading = new ObjectReading();
    JsonToken first = parser.currentToken() == JsonToken.FIELD_NAME ? JsonToken.FIELD_NAME : parser.nextToken();
    for (JsonToken token = first; token != JsonToken.END_OBJECT; token = parser.nextToken()) {
      String field = parser.currentName();
      parser.nextToken();
      reading.field(field, parser);
    }
    return reading.finish();
  }

  /** Returns the ability as compact JSON; the embedding only when {@code includeEmbedding}. */
  public static String toJson(Ability ability, boolean includeEmbedding) {
    StringWriter out = new StringWriter();
    try (JsonGenerator generator = JsonSupport.FACTORY.createGenerator(out)) {
      write(generator, ability, includeEmbedding);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Writes the ability as one JSON object, fields in the original's column order. */
  public static void write(JsonGenerator generator, Ability ability, boolean includeEmbedding) throws IOException {
    generator.writeStartObject();
    generator.writeStringField("ability_id", ability.abilityId());
    generator.writeNumberField("vector_id", ability.vectorId());
    generator.writeStringField("ability_name", ability.abilityName());
    generator.writeStringField("service_name", ability.serviceName());
    generator.writeStringField("description", ability.description());
    Embedding embedding = ability.embedding();
    if (includeEmbedding && embedding != null) {
      generator.writeFieldName("embedding");
      writeEmbedding(generator, embedding);
    }
    generator.writeFieldName("dynamic_header_keys");
    JsonSupport.writeValue(generator, ability.dynamicHeaderKeys(), null);
    generator.writeBooleanField("dynamic_headers_required", ability.dynamicHeadersRequired());
    generator.writeFieldName("metadata");
    JsonSupport.writeValue(generator, ability.metadata(), null);
    writeTimestamp(generator, "created_at", ability.createdAt());
    writeTimestamp(generator, "updated_at", ability.updatedAt());
    generator.writeEndObject();
  }

  /** Returns the embedding as a JSON array of numbers. */
  public static String embeddingJson(Embedding embedding) {
    StringBuilder json = new StringBuilder(embedding.dimension() * 12);
    json.append('[');
    for (int i = 0; i < embedding.dimension(); i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append(Float.toString(embedding.get(i)));
    }
    return json.append(']').toString();
  }

  /** Parses a JSON array of numbers into an embedding. */
  public static Embedding parseEmbedding(String json) {
    try (JsonParser parser = JsonSupport.FACTORY.createParser(json)) {
      parser.nextToken();
      List<FieldError> errors = new ArrayList<>();
      Embedding embedding = readEmbedding(parser, errors);
      if (embedding == null) {
        throw new InvalidAbilityException(null, errors);
      }
      return embedding;
    } catch (IOException e) {
      throw new InvalidInputException("malformed embedding JSON: " + e.getMessage(), e);
    }
  }

  /** Returns JSON for metadata or another plain value, maps in insertion order. */
  public static String valueJson(@Nullable Object value) {
    StringWriter out = new StringWriter();
    try (JsonGenerator generator = JsonSupport.FACTORY.createGenerator(out)) {
      JsonSupport.writeValue(generator, value, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Parses a JSON object into plain, normalised, immutable Java values. */
  @SuppressWarnings("unchecked")
  public static Map<String, @Nullable Object> parseObject(String json) {
    Object value = parseValue(json);
    if (!(value instanceof Map<?, ?>)) {
      throw new InvalidInputException("expected a JSON object");
    }
    return (Map<String, @Nullable Object>) value;
  }

  /** Parses a JSON array of strings, as stored in {@code dynamic_header_keys}. */
  public static List<String> parseStringList(String json) {
    List<FieldError> errors = new ArrayList<>();
    List<String> list = stringList("dynamic_header_keys", parseValue(json), errors);
    if (!errors.isEmpty()) {
      throw new InvalidAbilityException(null, errors);
    }
    return list;
  }

  private static @Nullable Object parseValue(String json) {
    try (JsonParser parser = JsonSupport.FACTORY.createParser(json)) {
      if (parser.nextToken() == null) {
        throw new InvalidInputException("expected JSON, found nothing");
      }
      Object value = JsonSupport.readValue(parser);
      if (parser.nextToken() != null) {
        throw new InvalidInputException("unexpected content after the JSON value");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("malformed JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Formats a timestamp the way every answer shows it: ISO-8601 in UTC, e.g. {@code 2026-01-02T03:04:05.678Z}. */
  public static String formatTimestamp(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant);
  }

  /**
   * Parses an ISO-8601 timestamp; one without an offset is taken as UTC.
   *
   * @throws DateTimeParseException if the text is no such timestamp
   */
  public static Instant parseTimestamp(String text) {
    String trimmed = text.trim();
    try {
      return OffsetDateTime.parse(trimmed.replace(' ', 'T')).toInstant();
    } catch (DateTimeParseException withoutOffset) {
      return LocalDateTime.parse(trimmed, LOCAL_TIMESTAMP).toInstant(ZoneOffset.UTC);
    }
  }

  /**
   * Parses exactly the form {@link #formatTimestamp} writes, {@code 2026-01-02T03:04:05[.fraction]Z},
   * without a formatter (this runs for every stored ability read); null for any other form.
   */
  private static @Nullable Instant parseUtcTimestamp(String text) {
    int length = text.length();
    if (length < 20 || length > 30 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-'
        || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
      return null;
    }
    int nanos = 0;
    if (length > 20) {
      if (text.charAt(19) != '.' || length - 21 > 9 || length == 21) {
        return null;
      }
      for (int i = 20; i < length - 1; i++) {
        int digit = text.charAt(i) - '0';
        if (digit < 0 || digit > 9) {
          return null;
        }
        nanos = nanos * 10 + digit;
      }
      for (int i = length - 21; i < 9; i++) {
        nanos *= 10;
      }
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
        || minute > 59 || second < 0 || second > 59) {
      return null;
    }
    try {
      return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.UTC);
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }

  private static int digits(String text, int start, int count) {
    int value = 0;
    for (int i = start; i < start + count; i++) {
      int digit = text.charAt(i) - '0';
      if (digit < 0 || digit > 9) {
        return -1;
      }
      value = value * 10 + digit;
    }
    return value;
  }

  static void writeEmbedding(JsonGenerator generator, Embedding embedding) throws IOException {
    generator.writeStartArray();
    for (int i = 0; i < embedding.dimension(); i++) {
      // Float.toString: the shortest decimal that reads back as the same float.
      generator.writeNumber(Float.toString(embedding.get(i)));
    }
    generator.writeEndArray();
  }

  private static void writeTimestamp(JsonGenerator generator, String field, @Nullable Instant instant)
      throws IOException {
    if (instant != null) {
      generator.writeStringField(field, formatTimestamp(instant));
    }
  }

  private static @Nullable Embedding readEmbedding(JsonParser parser, List<FieldError> errors) throws IOException {
    if (parser.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      errors.add(new FieldError("embedding", "must be an array of numbers"));
      parser.skipChildren();
      return null;
    }
    float[] values = new float[1024];
    int size = 0;
    boolean valid = true;
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
      if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
        if (size == values.length) {
          values = java.util.Arrays.copyOf(values, size * 2);
        }
        values[size] = parser.getFloatValue();
      } else {
        if (valid) {
          errors.add(new FieldError("embedding[" + size + "]", "must be a number, found " + describe(token)));
        }
        valid = false;
        parser.skipChildren();
      }
      size++;
    }
    return valid ? Embedding.of(java.util.Arrays.copyOf(values, size)) : null;
  }

  private static List<String> stringList(String field, @Nullable Object value, List<FieldError> errors) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      errors.add(new FieldError(field, "must be an array of strings"));
      return List.of();
    }
    List<String> strings = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) instanceof String text) {
        strings.add(text);
      } else {
        errors.add(new FieldError(field + "[" + i + "]", "must be a string, found "
            + (list.get(i) == null ? "null" : list.get(i) instanceof Map<?, ?> ? "an object"
            : list.get(i) instanceof List<?> ? "an array" : list.get(i).getClass().getSimpleName().toLowerCase(
                java.util.Locale.ROOT))));
      }
    }
    return strings;
  }

  private static String describe(JsonToken token) {
    return switch (token) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> token.asString() == null ? token.name() : token.asString();
    };
  }

  /** The fields of one object as they are read, and the errors found on the way. */
  private static final class ObjectReading {
    private final List<FieldError> errors = new ArrayList<>();
    private final Map<String, String> texts = new LinkedHashMap<>();
    private @Nullable Embedding embedding;
    private @Nullable List<String> dynamicHeaderKeys;
    private Map<String, @Nullable Object> metadata = Map.of();
    private @Nullable Integer vectorId;
    private @Nullable Instant createdAt;
    private @Nullable Instant updatedAt;
    private boolean seenMetadata;

    void field(String name, JsonParser parser) throws IOException {
      JsonToken token = parser.currentToken();
      switch (name) {
        case "ability_id", "ability_name", "service_name", "description" -> {
          if (token == JsonToken.VALUE_STRING) {
            texts.put(name, parser.getText());
          } else if (token != JsonToken.VALUE_NULL) {
            errors.add(new FieldError(name, "must be a string, found " + describe(token)));
            parser.skipChildren();
          }
        }
        case "embedding" -> embedding = readEmbedding(parser, errors);
        case "dynamic_header_keys" -> dynamicHeaderKeys = stringList(name, JsonSupport.readValue(parser), errors);
        case "metadata" -> readMetadata(parser);
        case "vector_id" -> {
          if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT) {
            vectorId = parser.getIntValue();
          } else if (token != JsonToken.VALUE_NULL) {
            errors.add(new FieldError(name, "must be a 32-bit integer, found " + describe(token)));
            parser.skipChildren();
          }
        }
        case "dynamic_headers_required" -> {
          if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE && token != JsonToken.VALUE_NULL) {
            errors.add(new FieldError(name, "must be a boolean, found " + describe(token)));
            parser.skipChildren();
          }
        }
        case "created_at" -> createdAt = timestamp(name, parser);
        case "updated_at" -> updatedAt = timestamp(name, parser);
        case "content_hash" -> parser.skipChildren();
        default -> {
          errors.add(new FieldError(name, "is not a field of an ability (fields: ability_id, ability_name, "
              + "service_name, description, embedding, dynamic_header_keys, metadata, created_at, updated_at)"));
          parser.skipChildren();
        }
      }
    }

    private void readMetadata(JsonParser parser) throws IOException {
      seenMetadata = true;
      Object value = JsonSupport.readValue(parser);
      if (value == null) {
        metadata = Map.of();
      } else if (!(value instanceof Map<?, ?>)) {
        errors.add(new FieldError("metadata", "must be an object, found " + (value instanceof List<?> ? "an array"
            : value instanceof String ? "a string" : value instanceof Boolean ? "a boolean" : "a number")));
      } else {
        @SuppressWarnings("unchecked")
        Map<String, @Nullable Object> map = (Map<String, @Nullable Object>) value;
        metadata = map;
        if (dynamicHeaderKeys == null && map.get("dynamic_header_keys") instanceof List<?> nested) {
          dynamicHeaderKeys = stringList("metadata.dynamic_header_keys", nested, errors);
        }
      }
    }

    private @Nullable Instant timestamp(String name, JsonParser parser) throws IOException {
      JsonToken token = parser.currentToken();
      if (token == JsonToken.VALUE_NULL) {
        return null;
      }
      if (token != JsonToken.VALUE_STRING) {
        errors.add(new FieldError(name, "must be an ISO-8601 timestamp string, found " + describe(token)));
        parser.skipChildren();
        return null;
      }
      String text = parser.getText();
      try {
        return parseTimestamp(text);
      } catch (DateTimeParseException e) {
        errors.add(new FieldError(name, "is not an ISO-8601 timestamp such as 2026-01-02T03:04:05Z"));
        return null;
      }
    }

    Ability finish() {
      String abilityId = texts.get("ability_id");
      for (String required : List.of("ability_id", "ability_name", "service_name", "description")) {
        if (!texts.containsKey(required) && errors.stream().noneMatch(error -> error.field().equals(required))) {
          errors.add(new FieldError(required, "is required"));
        }
      }
      if (abilityId != null && vectorId != null) {
        int expected = dev.abilitystore.identity.VectorIds.of(abilityId);
        if (vectorId != expected) {
          errors.add(new FieldError("vector_id", vectorId + " does not match the id derived from ability_id ("
              + expected + "); leave vector_id out, it is computed"));
        }
      }
      if (!errors.isEmpty()) {
        throw new InvalidAbilityException(abilityId, errors);
      }
      return new Ability(abilityId, texts.get("ability_name"), texts.get("service_name"), texts.get("description"),
          embedding, dynamicHeaderKeys == null ? List.of() : dynamicHeaderKeys, seenMetadata ? metadata : Map.of(),
          createdAt, updatedAt);
    }
  }
}
