package dev.abilitystore;

import static java.util.Objects.requireNonNull;

/**
 * One rule an input broke: the JSON path of the field ({@code ability_id},
 * {@code metadata.static_headers.Accept}, {@code embedding[3]}) and what is wrong with it.
 */
public record FieldError(String field, String message) {
  public FieldError {
    requireNonNull(field, "field");
    requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
