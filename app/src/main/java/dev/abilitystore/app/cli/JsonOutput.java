package dev.abilitystore.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.abilitystore.Ability;
import dev.abilitystore.json.AbilityJson;
import dev.abilitystore.port.Health;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * The {@code --json} output of the commands: Jackson trees with the original system's
 * snake_case names, abilities as {@link AbilityJson} writes them. Thread-safe.
 */
final class JsonOutput {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonOutput() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Returns the ability as the original's JSON, with or without its embedding. */
  static JsonNode ability(Ability ability, boolean includeEmbedding) {
    try {
      return MAPPER.readTree(AbilityJson.toJson(ability, includeEmbedding));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot read back the JSON of ability " + ability.abilityId(), e);
    }
  }

  /** Returns {@code {"status": "up", "detail": "..."}}. */
  static ObjectNode health(Health health) {
    ObjectNode node = object();
    node.put("status", health.status().name().toLowerCase(Locale.ROOT));
    node.put("detail", health.detail());
    return node;
  }

  /** Prints one JSON document, indented. */
  static void print(PrintStream out, JsonNode document) {
    try {
      out.println(MAPPER.writeValueAsString(document));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write JSON output", e);
    }
  }
}
