package dev.abilitystore.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.abilitystore.Ability;
import dev.abilitystore.json.AbilityJson;
import io.javalin.http.Context;
import java.io.UncheckedIOException;

/** The JSON reading and writing of the API, on one Jackson mapper. Thread-safe. */
final class ApiJson {
  static final String MEDIA_TYPE = "application/json";
  /** As deep as core's readers allow: enough for any real schema, too shallow to exhaust the stack. */
  static final int MAX_NESTING_DEPTH = 256;
  private static final int MAX_ECHOED_CHARS = 64;

  static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(MAX_NESTING_DEPTH)
          .maxNumberLength(1000)
          .build())
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .build();
  static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private ApiJson() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Returns the ability as the original's JSON, to be put into a tree as it is. */
  static RawValue ability(Ability ability, boolean includeEmbedding) {
    return new RawValue(AbilityJson.toJson(ability, includeEmbedding));
  }

  /** Adds the ability to {@code array} as the original's JSON. */
  static void addAbility(ArrayNode array, Ability ability, boolean includeEmbedding) {
    array.addRawValue(ability(ability, includeEmbedding));
  }

  /** Answers {@code status} with {@code body} as {@code application/json}. */
  static void send(Context ctx, int status, JsonNode body) {
    send(ctx, status, MEDIA_TYPE, body);
  }

  /** Answers {@code status} with {@code body} as JSON of {@code mediaType}. */
  static void send(Context ctx, int status, String mediaType, JsonNode body) {
    byte[] bytes;
    try {
      bytes = MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write a JSON answer", e);
    }
    ctx.status(status).contentType(mediaType).result(bytes);
  }

  /** Returns {@code text} cut to a length that is safe to echo in a message. */
  static String bounded(String text) {
    return bounded(text, MAX_ECHOED_CHARS);
  }

  /** Returns {@code text} cut to at most {@code maxChars} characters and an ellipsis. */
  static String bounded(String text, int maxChars) {
    return text.length() <= maxChars ? text : text.substring(0, maxChars) + "…";
  }
}
