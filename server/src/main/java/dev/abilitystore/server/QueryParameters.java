package dev.abilitystore.server;

import dev.abilitystore.FieldError;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Reads a request's query parameters strictly: an unknown parameter is an error (a misspelt
 * filter must not silently match everything), a single-valued one given twice too, and every
 * error names its parameter. Not thread-safe.
 */
final class QueryParameters {
  private final Map<String, List<String>> parameters;
  private final List<FieldError> errors = new ArrayList<>();

  QueryParameters(Context ctx, Set<String> known) {
    this.parameters = ctx.queryParamMap();
    for (String name : parameters.keySet()) {
      if (!known.contains(name)) {
        errors.add(new FieldError(ApiJson.bounded(name), "is not a parameter of this request (parameters: "
            + String.join(", ", new TreeSet<>(known)) + ")"));
      }
    }
  }

  /** Returns every value of {@code name}, each checked by {@link #checkText}. */
  List<String> all(String name) {
    List<String> values = parameters.getOrDefault(name, List.of());
    values.forEach(value -> checkText(name, value));
    return values;
  }

  /** Returns the one value of {@code name}, or null when it is absent or empty. */
  @Nullable String single(String name) {
    List<String> values = parameters.getOrDefault(name, List.of());
    if (values.size() > 1) {
      errors.add(new FieldError(name, "must be given once, was given " + values.size() + " times"));
      return null;
    }
    return values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
  }

  /** Returns {@code true} or {@code false}, or null when absent. */
  @Nullable Boolean bool(String name) {
    String value = single(name);
    if (value == null) {
      return null;
    }
    return switch (value) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> {
        errors.add(new FieldError(name, "must be true or false, was '" + ApiJson.bounded(value) + "'"));
        yield null;
      }
    };
  }

  /** Returns an integer in {@code [min, max]}, or {@code fallback} when absent. */
  int integer(String name, int min, int max, int fallback) {
    String value = single(name);
    if (value == null) {
      return fallback;
    }
    try {
      int number = Integer.parseInt(value);
      if (number >= min && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add(new FieldError(name, "must be an integer between " + min + " and " + max + ", was '"
        + ApiJson.bounded(value) + "'"));
    return fallback;
  }

  /** Records an error of {@code name} found by the caller. */
  void reject(String name, String message) {
    errors.add(new FieldError(name, message));
  }

  /**
   * Rejects control characters, which no catalogue value holds (and PostgreSQL cannot compare
   * NUL); returns whether {@code value} is free of them.
   */
  boolean checkText(String name, String value) {
    if (value.chars().anyMatch(Character::isISOControl)) {
      errors.add(new FieldError(name, "must not contain control characters"));
      return false;
    }
    return true;
  }

  /**
   * Throws if any parameter was at fault.
   *
   * @throws ProblemException a 400 naming every parameter at fault
   */
  void throwIfInvalid() {
    if (!errors.isEmpty()) {
      String detail = errors.size() == 1 ? errors.get(0).toString() : errors.size() + " parameters are invalid";
      throw ProblemException.invalidRequest(detail, errors);
    }
  }
}
