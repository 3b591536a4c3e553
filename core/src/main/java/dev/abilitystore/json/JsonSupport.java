package dev.abilitystore.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
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
      // Embeddings are hundreds of floats per ability: Jackson's bundled FastDoubleParser reads
      // them several times faster than Float.parseFloat, with the same correctly rounded result.
      .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .build();

  /**
   * Reads the value the parser stands on into frozen Java values (see {@link JsonValues#freeze}),
   * straight from the token stream; the parser is left on the value's last token.
   */
  static @Nullable Object readValue(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    return switch (token) {
      case START_OBJECT -> {
        Map<String, @Nullable Object> map = new LinkedHashMap<>();
        for (JsonToken next = parser.nextToken(); next != JsonToken.END_OBJECT; next = parser.nextToken()) {
          String name = parser.currentName();
          parser.nextToken();
          map.put(name, readValue(parser));
        }
        yield JsonValues.freeze(map);
      }
      case START_ARRAY -> {
        List<@Nullable Object> list = new ArrayList<>();
        for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
          list.add(readValue(parser));
        }
        yield JsonValues.freeze(list);
      }
      case VALUE_STRING -> parser.getText();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      case VALUE_NUMBER_INT -> JsonValues.normalizeNumber(parser.getNumberValue());
      case VALUE_NUMBER_FLOAT -> JsonValues.normalizeNumber(parser.getDecimalValue());
      default -> throw new IllegalStateException("not a JSON value: " + token);
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
