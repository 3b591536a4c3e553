package dev.abilitystore.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.abilitystore.internal.JsonValues;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The JSON factory and tree conversions shared by the readers and writers of this package. */
final class JsonSupport {
  /** Deep enough for any real schema, shallow enough that nesting cannot exhaust the stack. */
  static final int MAX_NESTING_DEPTH = 256;

  static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(MAX_NESTING_DEPTH)
          .maxStringLength(64 * 1024 * 1024)
          .maxNumberLength(1000)
          .build())
      .build();

  static final ObjectMapper MAPPER = new ObjectMapper(FACTORY)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private JsonSupport() {}

  /** Converts a JSON tree into plain Java values (maps, lists, strings, normalised numbers). */
  static @Nullable Object toJava(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT -> {
        Map<String, @Nullable Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
          map.put(field.getKey(), toJava(field.getValue()));
        }
        yield map;
      }
      case ARRAY -> {
        List<@Nullable Object> list = new ArrayList<>(node.size());
        for (JsonNode element : node) {
          list.add(toJava(element));
        }
        yield list;
      }
      case STRING -> node.textValue();
      case BOOLEAN -> node.booleanValue();
      case NUMBER -> JsonValues.normalizeNumber(node.numberValue());
      case NULL, MISSING -> null;
      case BINARY, POJO -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
    };
  }

  /** Writes a plain Java value; maps in insertion order, or sorted by code point when {@code sorted}. */
  static void writeValue(JsonGenerator generator, @Nullable Object value, @Nullable Comparator<String> keyOrder)
      throws IOException {
    switch (value) {
      case null -> generator.writeNull();
      case String text -> generator.writeString(text);
      case Boolean bool -> generator.writeBoolean(bool);
      case Long number -> generator.writeNumber(number);
      case BigInteger number -> generator.writeNumber(number);
      case BigDecimal number -> generator.writeNumber(number.toString());
      case Double number when !Double.isFinite(number) ->
          throw new IllegalArgumentException("JSON has no representation for " + number);
      case Number number -> writeValue(generator, JsonValues.normalizeNumber(number), keyOrder);
      case Map<?, ?> map -> {
        generator.writeStartObject();
        List<? extends Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
        if (keyOrder != null) {
          entries.sort((left, right) -> keyOrder.compare((String) left.getKey(), (String) right.getKey()));
        }
        for (Map.Entry<?, ?> entry : entries) {
          generator.writeFieldName((String) entry.getKey());
          writeValue(generator, entry.getValue(), keyOrder);
        }
        generator.writeEndObject();
      }
      case List<?> list -> {
        generator.writeStartArray();
        for (Object element : list) {
          writeValue(generator, element, keyOrder);
        }
        generator.writeEndArray();
      }
      default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
  }
}
