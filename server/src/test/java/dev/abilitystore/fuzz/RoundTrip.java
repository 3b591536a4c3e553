package dev.abilitystore.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.abilitystore.Ability;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.Embedding;
import dev.abilitystore.json.AbilityJson;
import dev.abilitystore.redaction.CredentialRedactor;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Whether an accepted ability round-tripped: both stores hold it alike (JSON object keys in any
 * order, numbers by value), and what they hold is what was sent, field for field, unless the
 * credential redactor changed it (as documented).
 */
public final class RoundTrip {
  private RoundTrip() {}

  /** How what the stores hold of {@code sent} differs from it, or null when it does not. */
  public static @Nullable String difference(AbilityStore store, ObjectNode sent) {
    String id = sent.path("ability_id").asText();
    Optional<Ability> primary = store.primary().get(id);
    if (primary.isEmpty()) {
      return "the index lacks '" + id + "'";
    }
    Ability stored = primary.get();
    if (store.secondary().enabled()) {
      Optional<Ability> secondary = store.secondary().get(id);
      if (secondary.isEmpty()) {
        return "PostgreSQL lacks '" + id + "'";
      }
      JsonNode inIndex = AbilityOracle.parse(JsonText.utf8(AbilityJson.toJson(stored, true)));
      JsonNode inPostgres = AbilityOracle.parse(JsonText.utf8(AbilityJson.toJson(secondary.get(), true)));
      String disagreement = firstDifference("", inIndex, inPostgres);
      if (disagreement != null) {
        return "the stores disagree on '" + id + "' at " + disagreement;
      }
    }
    boolean redacted;
    try {
      redacted = CredentialRedactor.redact(AbilityJson.fromJson(sent.toString())).changed();
    } catch (RuntimeException e) {
      return "what was accepted cannot be read back as an ability: " + e.getMessage();
    }
    List<String> differences = new ArrayList<>();
    if (!redacted) {
      same(differences, "ability_name", sent.path("ability_name").asText(), stored.abilityName());
      same(differences, "service_name", sent.path("service_name").asText(), stored.serviceName());
      same(differences, "description", sent.path("description").asText(), stored.description());
      JsonNode metadata = sent.get("metadata");
      JsonNode storedMetadata = AbilityOracle.STRICT.valueToTree(stored.metadata());
      if (metadata != null && !metadata.isNull() && !metadata.equals(NUMERIC, storedMetadata)) {
        differences.add("metadata: sent " + bounded(metadata.toString()) + ", stored " + bounded(storedMetadata.toString()));
      }
      JsonNode keys = sent.get("dynamic_header_keys");
      if (keys == null && metadata != null && metadata.path("dynamic_header_keys").isArray()) {
        keys = metadata.get("dynamic_header_keys");
      }
      List<String> sentKeys = new ArrayList<>();
      if (keys != null) {
        keys.forEach(key -> sentKeys.add(key.asText()));
      }
      same(differences, "dynamic_header_keys", sentKeys, stored.dynamicHeaderKeys());
    }
    JsonNode embedding = sent.get("embedding");
    if (embedding != null && embedding.isArray()) {
      Embedding storedEmbedding = stored.embedding();
      for (int i = 0; i < embedding.size() && storedEmbedding != null; i++) {
        float expected = embedding.get(i).isBigDecimal() ? embedding.get(i).decimalValue().floatValue()
            : embedding.get(i).floatValue();
        if (Float.compare(expected, storedEmbedding.get(i)) != 0 && !(expected == 0 && storedEmbedding.get(i) == 0)) {
          differences.add("embedding[" + i + "]: sent " + expected + ", stored " + storedEmbedding.get(i));
          break;
        }
      }
    }
    for (String field : List.of("created_at", "updated_at")) {
      JsonNode timestamp = sent.get(field);
      if (timestamp != null && timestamp.isTextual()) {
        Instant parsed = AbilityOracle.parseTimestamp(timestamp.textValue());
        // The store keeps microseconds, as PostgreSQL does.
        Instant expected = parsed == null ? null : parsed.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        Instant actual = field.equals("created_at") ? stored.createdAt() : stored.updatedAt();
        same(differences, field, expected, actual);
      }
    }
    return differences.isEmpty() ? null : "'" + id + "': " + String.join("; ", differences);
  }

  /** Where two JSON values differ (object keys in any order, numbers by value), or null. */
  public static @Nullable String firstDifference(String path, @Nullable JsonNode left, @Nullable JsonNode right) {
    if (left == null || right == null) {
      return left == right ? null : path + ": " + left + " vs " + right;
    }
    if (left.isObject() && right.isObject()) {
      java.util.Set<String> names = new java.util.TreeSet<>();
      left.fieldNames().forEachRemaining(names::add);
      right.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        String difference = firstDifference(path + "." + name, left.get(name), right.get(name));
        if (difference != null) {
          return difference;
        }
      }
      return null;
    }
    if (left.isArray() && right.isArray() && left.size() == right.size()) {
      for (int i = 0; i < left.size(); i++) {
        String difference = firstDifference(path + "[" + i + "]", left.get(i), right.get(i));
        if (difference != null) {
          return difference;
        }
      }
      return null;
    }
    return left.equals(NUMERIC, right) ? null : path + ": " + bounded(left.toString()) + " vs " + bounded(right.toString());
  }

  private static final Comparator<JsonNode> NUMERIC = (left, right) -> {
    if (left.equals(right)) {
      return 0;
    }
    if (left.isNumber() && right.isNumber()) {
      return new BigDecimal(left.asText()).compareTo(new BigDecimal(right.asText()));
    }
    return 1;
  };

  private static void same(List<String> differences, String field, @Nullable Object sent, @Nullable Object stored) {
    if (!java.util.Objects.equals(sent, stored)) {
      differences.add(field + ": sent " + bounded(String.valueOf(sent)) + ", stored " + bounded(String.valueOf(stored)));
    }
  }

  private static String bounded(String text) {
    return JsonText.preview(JsonText.utf8(text), 300);
  }
}
