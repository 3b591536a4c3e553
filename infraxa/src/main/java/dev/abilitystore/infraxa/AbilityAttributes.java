package dev.abilitystore.infraxa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.abilitystore.Ability;
import dev.abilitystore.identity.ContentHash;
import dev.abilitystore.json.AbilityJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The original system's layout: collection {@code abilities_<service>} (characters other than
 * ASCII letters and digits become {@code _}), vector id {@link Ability#vectorId()}, and the
 * ability's fields as attributes under their snake_case names: {@code ability_id},
 * {@code vector_id}, {@code ability_name}, {@code service_name}, {@code description},
 * {@code dynamic_header_keys}, {@code dynamic_headers_required}, {@code metadata},
 * {@code created_at}, {@code updated_at}. We add {@code embedding} (the API never returns a
 * vector, and {@code get}/{@code scan} must) and {@code content_hash}. Reading is tolerant of
 * what the original may have written: attributes we do not know are ignored, {@code metadata} or
 * {@code dynamic_header_keys} held as JSON text are parsed, a missing hash is computed, and an
 * ability without the {@code embedding} attribute is read without one. Thread-safe.
 */
final class AbilityAttributes {
  static final String BLOB_PREFIX = "abilities_";

  private AbilityAttributes() {}

  /** Returns the collection that holds the abilities of {@code serviceName}. */
  static String blobName(String serviceName) {
    return BLOB_PREFIX + serviceName.replaceAll("[^A-Za-z0-9]", "_");
  }

  /** Returns the attributes stored with the ability (which carries its final timestamps). */
  static ObjectNode of(ObjectMapper json, Ability ability) {
    try {
      ObjectNode attributes = (ObjectNode) json.readTree(AbilityJson.toJsonBytes(ability, true));
      attributes.put("content_hash", ContentHash.of(ability));
      return attributes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the ability id the attributes name, or null when they name none. */
  static @org.jspecify.annotations.Nullable String abilityId(JsonNode attributes) {
    JsonNode id = attributes.get("ability_id");
    return id != null && id.isTextual() ? id.asText() : null;
  }

  /** Returns the content hash stored in the attributes, or the one computed from the ability they hold. */
  static String contentHash(JsonNode attributes, Ability ability) {
    JsonNode hash = attributes.get("content_hash");
    return hash != null && hash.isTextual() ? hash.asText() : ContentHash.of(ability);
  }

  /** Reads the ability the attributes hold. */
  static Ability read(ObjectMapper json, JsonNode attributes) {
    ObjectNode known = json.createObjectNode();
    for (Map.Entry<String, JsonNode> field : attributes.properties()) {
      if (AbilityJson.FIELDS.contains(field.getKey()) && !field.getValue().isNull()) {
        known.set(field.getKey(), field.getValue());
      }
    }
    for (String jsonText : new String[] {"metadata", "dynamic_header_keys", "embedding"}) {
      JsonNode value = known.get(jsonText);
      if (value != null && value.isTextual()) {
        try {
          known.set(jsonText, json.readTree(value.asText()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    known.remove("content_hash");
    try {
      byte[] bytes = json.writeValueAsBytes(known);
      return AbilityJson.fromJson(bytes, 0, bytes.length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
