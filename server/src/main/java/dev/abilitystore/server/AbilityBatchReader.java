package dev.abilitystore.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.abilitystore.Ability;
import dev.abilitystore.FieldError;
import dev.abilitystore.InvalidAbilityException;
import dev.abilitystore.json.AbilityJson;
import dev.abilitystore.validation.AbilityValidator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the body of {@code POST /v1/abilities} as it streams in: one ability object, or
 * {@code {"abilities": [...]}} of at most {@value #MAX_BATCH}. Abilities are read by
 * {@link AbilityJson}, as the importer reads them: an unknown field is an error,
 * {@code content_hash} is ignored, {@code vector_id} and {@code dynamic_headers_required} are
 * accepted but derived. Every ability is read and checked against the store's rules before
 * anything is written, and every broken rule of every ability is reported, its field prefixed
 * with the ability's place ({@code abilities[3].embedding}). Not thread-safe.
 */
final class AbilityBatchReader {
  /** Most abilities one request may store. */
  static final int MAX_BATCH = 1000;
  /** Most errors one answer lists. */
  static final int MAX_ERRORS = 100;
  private static final String BATCH_FIELD = "abilities";

  private final AbilityValidator validator;
  private final List<FieldError> errors = new ArrayList<>();

  AbilityBatchReader(AbilityValidator validator) {
    this.validator = validator;
  }

  /**
   * Reads the abilities of the body and checks them.
   *
   * @throws ProblemException if the body is no ability or batch, holds more than
   *     {@value #MAX_BATCH} abilities, or any ability breaks a rule
   * @throws IOException if the body is not valid JSON
   */
  List<Ability> read(JsonParser parser) throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      throw ProblemException.malformedJson("the request body must be a JSON object: one ability, or "
          + "{\"abilities\": [...]}");
    }
    JsonToken first = parser.nextToken();
    if (first == JsonToken.END_OBJECT) {
      throw ProblemException.invalidRequest("an empty object is no ability", List.of(
          new FieldError("ability_id", "is required"), new FieldError("ability_name", "is required"),
          new FieldError("service_name", "is required"), new FieldError("description", "is required")));
    }
    List<Ability> abilities = new ArrayList<>();
    if (BATCH_FIELD.equals(parser.currentName())) {
      readBatch(parser, abilities);
    } else {
      readAbility(parser, "", abilities);
    }
    if (parser.nextToken() != null) {
      throw ProblemException.malformedJson("unexpected content after the JSON object");
    }
    if (!errors.isEmpty()) {
      throw invalid(abilities.size());
    }
    return abilities;
  }

  private void readBatch(JsonParser parser, List<Ability> abilities) throws IOException {
    if (parser.nextToken() != JsonToken.START_ARRAY) {
      throw ProblemException.invalidField(BATCH_FIELD, "must be an array of ability objects");
    }
    int index = 0;
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
      if (index == MAX_BATCH) {
        throw new ProblemException(new Problem(413, "batch-too-large", "Batch too large",
            "a request stores at most " + MAX_BATCH + " abilities; split the batch",
            List.of(new FieldError(BATCH_FIELD, "must hold at most " + MAX_BATCH + " abilities"))));
      }
      String prefix = BATCH_FIELD + "[" + index + "].";
      if (token == JsonToken.START_OBJECT) {
        readAbility(parser, prefix, abilities);
      } else {
        parser.skipChildren();
        error(new FieldError(BATCH_FIELD + "[" + index + "]", "must be an ability object"));
      }
      index++;
    }
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
      error(new FieldError(ApiJson.bounded(parser.currentName()), "is not a field of a batch (fields: abilities)"));
      parser.nextToken();
      parser.skipChildren();
    }
  }

  private void readAbility(JsonParser parser, String prefix, List<Ability> abilities) throws IOException {
    try {
      Ability ability = AbilityJson.read(parser);
      List<FieldError> broken = validator.check(ability);
      if (broken.isEmpty()) {
        abilities.add(ability);
      }
      broken.forEach(error -> error(prefixed(prefix, error)));
    } catch (InvalidAbilityException e) {
      e.errors().forEach(error -> error(prefixed(prefix, error)));
    }
  }

  private void error(FieldError error) {
    if (errors.size() < MAX_ERRORS) {
      errors.add(error);
    }
  }

  private ProblemException invalid(int validAbilities) {
    String shown = errors.size() == MAX_ERRORS ? " (the first " + MAX_ERRORS + " are listed)" : "";
    String detail = errors.size() == 1 && validAbilities == 0 ? "invalid ability: " + errors.get(0)
        : "invalid abilities: " + errors.size() + " problems" + shown + "; nothing was stored";
    return new ProblemException(new Problem(400, "invalid-ability", "Invalid ability", detail, errors));
  }

  private static FieldError prefixed(String prefix, FieldError error) {
    return prefix.isEmpty() ? error : new FieldError(prefix + error.field(), error.message());
  }
}
