package dev.abilitystore.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.abilitystore.FieldError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Reads the fields of a small JSON request body strictly: a field the request does not know is
 * an error, and so is a value of the wrong type; every error is collected with its field's name
 * so that one answer lists them all. Not thread-safe.
 */
final class JsonFields {
  private final ObjectNode object;
  private final List<FieldError> errors = new ArrayList<>();

  JsonFields(ObjectNode object, Set<String> known) {
    this.object = object;
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        errors.add(new FieldError(ApiJson.bounded(name), "is not a field of this request (fields: "
            + String.join(", ", new TreeSet<>(known)) + ")"));
      }
    }
  }

  /** Returns the string value of {@code field}, or null when it is absent or null. */
  @Nullable String text(String field) {
    JsonNode value = present(field);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      return invalid(field, "must be a string, was " + describe(value));
    }
    return value.textValue();
  }

  /** Returns the boolean value of {@code field}, or null when it is absent or null. */
  @Nullable Boolean bool(String field) {
    JsonNode value = present(field);
    if (value == null) {
      return null;
    }
    if (!value.isBoolean()) {
      return invalid(field, "must be true or false, was " + describe(value));
    }
    return value.booleanValue();
  }

  /** Returns the integer value of {@code field} in {@code [min, max]}, or {@code fallback} when it is absent. */
  int integer(String field, int min, int max, int fallback) {
    JsonNode value = present(field);
    if (value == null) {
      return fallback;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
      invalid(field, "must be an integer between " + min + " and " + max + ", was " + describe(value));
      return fallback;
    }
    return value.intValue();
  }

  /** Returns a string or an array of strings as a list; empty when absent. */
  List<String> texts(String field) {
    JsonNode value = present(field);
    if (value == null) {
      return List.of();
    }
    if (value.isTextual()) {
      return List.of(value.textValue());
    }
    if (!value.isArray()) {
      invalid(field, "must be a string or an array of strings, was " + describe(value));
      return List.of();
    }
    List<String> texts = new ArrayList<>(value.size());
    for (int i = 0; i < value.size(); i++) {
      if (value.get(i).isTextual()) {
        texts.add(value.get(i).textValue());
      } else {
        invalid(field + "[" + i + "]", "must be a string, was " + describe(value.get(i)));
      }
    }
    return texts;
  }

  /** Returns an array of numbers as floats, or null when absent; NaN-free, but possibly infinite after rounding. */
  float @Nullable [] floats(String field) {
    JsonNode value = present(field);
    if (value == null) {
      return null;
    }
    if (!value.isArray()) {
      return invalid(field, "must be an array of numbers, was " + describe(value));
    }
    float[] floats = new float[value.size()];
    for (int i = 0; i < value.size(); i++) {
      if (!value.get(i).isNumber()) {
        return invalid(field + "[" + i + "]", "must be a number, was " + describe(value.get(i)));
      }
      floats[i] = value.get(i).floatValue();
    }
    return floats;
  }

  /** Records an error of {@code field} found by the caller. */
  void reject(String field, String message) {
    errors.add(new FieldError(field, message));
  }

  /**
   * Throws if any field was at fault.
   *
   * @throws ProblemException a 400 naming every field at fault
   */
  void throwIfInvalid() {
    if (!errors.isEmpty()) {
      String detail = errors.size() == 1 ? errors.get(0).toString() : errors.size() + " fields are invalid";
      throw ProblemException.invalidRequest(detail, errors);
    }
  }

  /** Returns what kind of JSON value {@code node} is, for messages. */
  static String describe(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private @Nullable JsonNode present(String field) {
    JsonNode value = object.get(field);
    return value == null || value.isNull() ? null : value;
  }

  private <T> @Nullable T invalid(String field, String message) {
    errors.add(new FieldError(field, message));
    return null;
  }
}
