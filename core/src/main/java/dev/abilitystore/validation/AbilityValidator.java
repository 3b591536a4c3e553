package dev.abilitystore.validation;

import dev.abilitystore.Ability;
import dev.abilitystore.Embedding;
import dev.abilitystore.FieldError;
import dev.abilitystore.InvalidAbilityException;
import dev.abilitystore.json.AbilityJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks an ability against the catalogue's rules and names every field that breaks one.
 *
 * <ul>
 *   <li>{@code ability_id}: 1 to 256 characters, no white space, no control characters, no
 *       {@code /} or {@code \} (ids appear in URL paths and file names);
 *   <li>{@code ability_name}: not blank, at most 1024 characters, no control characters;
 *   <li>{@code service_name}: not blank, at most 256 characters, no control characters;
 *   <li>{@code description}: at most 64 KiB of UTF-8 (may be empty);
 *   <li>{@code embedding}: when present, finite values, non-zero norm, the store's dimension
 *       (when the validator knows it) and at most 4096;
 *   <li>{@code dynamic_header_keys}: at most 64, each non-blank, no control characters, no
 *       duplicates;
 *   <li>{@code metadata}: at most 1 MiB as compact JSON, numbers finite and at most
 *       {@value #MAX_NUMBER_CHARS} characters written out ({@code 1e-999} is 1,001): PostgreSQL's
 *       {@code jsonb} hands numbers back written out, and refuses beyond its numeric range;
 *   <li>{@code created_at}, {@code updated_at}: when given, within the years 1 to 9999, which both
 *       stores hold;
 *   <li>every string anywhere: no NUL character and no unpaired surrogate — PostgreSQL cannot
 *       store the first and UTF-8 cannot carry the second, so either would change the data.
 * </ul>
 *
 * Immutable and thread-safe.
 */
public final class AbilityValidator {
  /** Longest a metadata number may be written out; also the record store's JSON reader's limit. */
  public static final int MAX_NUMBER_CHARS = 1000;
  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");
  private final int dimension;

  private AbilityValidator(int dimension) {
    this.dimension = dimension;
  }

  /** Returns a validator that accepts embeddings of {@code dimension} components only. */
  public static AbilityValidator forDimension(int dimension) {
    if (dimension < 1 || dimension > Limits.MAX_DIMENSION) {
      throw new IllegalArgumentException("dimension must be between 1 and " + Limits.MAX_DIMENSION + ", was "
          + dimension);
    }
    return new AbilityValidator(dimension);
  }

  /** Returns a validator that accepts embeddings of any dimension up to the limit. */
  public static AbilityValidator anyDimension() {
    return new AbilityValidator(0);
  }

  /**
   * Returns the ability if it obeys every rule.
   *
   * @throws InvalidAbilityException naming every broken rule
   */
  public Ability validate(Ability ability) {
    List<FieldError> errors = check(ability);
    if (!errors.isEmpty()) {
      throw new InvalidAbilityException(printableId(ability.abilityId()), errors);
    }
    return ability;
  }

  /** Returns every rule the ability breaks; empty when it is valid. */
  public List<FieldError> check(Ability ability) {
    List<FieldError> errors = new ArrayList<>();
    checkAbilityId(ability.abilityId(), errors);
    checkLine("ability_name", ability.abilityName(), Limits.MAX_ABILITY_NAME_LENGTH, errors);
    checkLine("service_name", ability.serviceName(), Limits.MAX_SERVICE_NAME_LENGTH, errors);
    checkDescription(ability.description(), errors);
    checkEmbedding(ability.embedding(), errors);
    checkDynamicHeaderKeys(ability.dynamicHeaderKeys(), errors);
    checkMetadata(ability.metadata(), errors);
    checkTimestamp("created_at", ability.createdAt(), errors);
    checkTimestamp("updated_at", ability.updatedAt(), errors);
    return errors;
  }

  /** Returns the problem with an ability id, or null when it is valid. */
  public static @Nullable String abilityIdProblem(String abilityId) {
    if (abilityId.isEmpty()) {
      return "must not be empty";
    }
    if (abilityId.length() > Limits.MAX_ABILITY_ID_LENGTH) {
      return "must be at most " + Limits.MAX_ABILITY_ID_LENGTH + " characters, was " + abilityId.length();
    }
    String encoding = encodingProblem(abilityId);
    if (encoding != null) {
      return encoding;
    }
    for (int i = 0; i < abilityId.length(); i++) {
      char c = abilityId.charAt(i);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        return "must not contain white space (found at position " + i + ")";
      }
      if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
        return "must not contain control characters (found U+" + hex(c) + " at position " + i + ")";
      }
      if (c == '/' || c == '\\') {
        return "must not contain '" + c + "' (found at position " + i + ")";
      }
    }
    return null;
  }

  private static void checkAbilityId(String abilityId, List<FieldError> errors) {
    String problem = abilityIdProblem(abilityId);
    if (problem != null) {
      errors.add(new FieldError("ability_id", problem));
    }
  }

  private static void checkLine(String field, String value, int maxLength, List<FieldError> errors) {
    if (value.isBlank()) {
      errors.add(new FieldError(field, "must not be empty"));
      return;
    }
    if (value.length() > maxLength) {
      errors.add(new FieldError(field, "must be at most " + maxLength + " characters, was " + value.length()));
      return;
    }
    String encoding = encodingProblem(value);
    if (encoding != null) {
      errors.add(new FieldError(field, encoding));
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        errors.add(new FieldError(field, "must not contain control characters (found U+" + hex(value.charAt(i))
            + " at position " + i + ")"));
        return;
      }
    }
  }

  private static void checkDescription(String description, List<FieldError> errors) {
    String encoding = encodingProblem(description);
    if (encoding != null) {
      errors.add(new FieldError("description", encoding));
      return;
    }
    int bytes = utf8Length(description);
    if (bytes > Limits.MAX_DESCRIPTION_BYTES) {
      errors.add(new FieldError("description", "must be at most " + Limits.MAX_DESCRIPTION_BYTES
          + " bytes of UTF-8, was " + bytes));
    }
  }

  private void checkEmbedding(@Nullable Embedding embedding, List<FieldError> errors) {
    if (embedding == null) {
      return;
    }
    if (dimension > 0 && embedding.dimension() != dimension) {
      errors.add(new FieldError("embedding", "has " + embedding.dimension() + " dimensions, the store holds "
          + dimension));
      return;
    }
    if (embedding.dimension() == 0 || embedding.dimension() > Limits.MAX_DIMENSION) {
      errors.add(new FieldError("embedding", "must have 1 to " + Limits.MAX_DIMENSION + " dimensions, has "
          + embedding.dimension()));
      return;
    }
    int nonFinite = embedding.firstNonFinite();
    if (nonFinite >= 0) {
      errors.add(new FieldError("embedding[" + nonFinite + "]", "must be a finite number, was "
          + embedding.get(nonFinite)));
      return;
    }
    if (embedding.norm() == 0) {
      errors.add(new FieldError("embedding", "must not be all zeros (a zero vector has no direction)"));
    }
  }

  private static void checkDynamicHeaderKeys(List<String> keys, List<FieldError> errors) {
    if (keys.size() > Limits.MAX_DYNAMIC_HEADER_KEYS) {
      errors.add(new FieldError("dynamic_header_keys", "must hold at most " + Limits.MAX_DYNAMIC_HEADER_KEYS
          + " keys, holds " + keys.size()));
      return;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      String field = "dynamic_header_keys[" + i + "]";
      int before = errors.size();
      checkLine(field, key, Limits.MAX_DYNAMIC_HEADER_KEY_LENGTH, errors);
      if (errors.size() == before && !seen.add(key)) {
        errors.add(new FieldError(field, "repeats '" + key + "'"));
      }
    }
  }

  private static void checkMetadata(Map<String, @Nullable Object> metadata, List<FieldError> errors) {
    int before = errors.size();
    checkValue("metadata", metadata, errors, 0);
    if (errors.size() > before) {
      return;
    }
    int bytes = AbilityJson.valueJson(metadata).getBytes(StandardCharsets.UTF_8).length;
    if (bytes > Limits.MAX_METADATA_BYTES) {
      errors.add(new FieldError("metadata", "must be at most " + Limits.MAX_METADATA_BYTES
          + " bytes as JSON, was " + bytes));
    }
  }

  /** Characters of a number written out without an exponent: {@code 1e-999} has 1,001, {@code -1.5e3} 5. */
  private static long writtenOutLength(BigDecimal number) {
    long before = Math.max(1L, (long) number.precision() - number.scale());
    long after = Math.max(0L, number.scale());
    return (number.signum() < 0 ? 1 : 0) + before + (after > 0 ? 1 + after : 0);
  }

  private static void checkTimestamp(String field, @Nullable Instant timestamp, List<FieldError> errors) {
    if (timestamp != null && (timestamp.isBefore(EARLIEST) || timestamp.isAfter(LATEST))) {
      errors.add(new FieldError(field, "must be within the years 1 to 9999, was " + timestamp));
    }
  }

  private static void checkValue(String path, @Nullable Object value, List<FieldError> errors, int depth) {
    if (errors.size() >= 10) {
      return;
    }
    switch (value) {
      case String text -> {
        String problem = encodingProblem(text);
        if (problem != null) {
          errors.add(new FieldError(path, problem));
        }
      }
      case Double number when !Double.isFinite(number) ->
          errors.add(new FieldError(path, "must be a finite number, was " + number));
      case BigDecimal number when writtenOutLength(number) > MAX_NUMBER_CHARS ->
          errors.add(new FieldError(path, "must be at most " + MAX_NUMBER_CHARS + " characters written out, was "
              + number));
      case BigInteger number when number.toString().length() > MAX_NUMBER_CHARS ->
          errors.add(new FieldError(path, "must be at most " + MAX_NUMBER_CHARS + " digits long"));
      case Map<?, ?> map -> {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          String key = (String) entry.getKey();
          String keyProblem = encodingProblem(key);
          String child = path + "." + printable(key);
          if (keyProblem != null) {
            errors.add(new FieldError(child, "key " + keyProblem));
          }
          checkValue(child, entry.getValue(), errors, depth + 1);
        }
      }
      case List<?> list -> {
        for (int i = 0; i < list.size(); i++) {
          checkValue(path + "[" + i + "]", list.get(i), errors, depth + 1);
        }
      }
      case null, default -> {
      }
    }
  }

  /** Returns why the text cannot be stored unchanged, or null. */
  static @Nullable String encodingProblem(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u0000') {
        return "must not contain the NUL character (U+0000)";
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        return "must be valid Unicode (unpaired surrogate U+" + hex(c) + " at position " + i + ")";
      }
      if (Character.isLowSurrogate(c)) {
        return "must be valid Unicode (unpaired surrogate U+" + hex(c) + " at position " + i + ")";
      }
    }
    return null;
  }

  private static int utf8Length(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  private static String hex(char c) {
    return String.format("%04X", (int) c);
  }

  private static @Nullable String printableId(String abilityId) {
    return abilityIdProblem(abilityId) == null ? abilityId : null;
  }

  /** Bounds a key echoed in a message and hides characters that would garble a log line. */
  private static String printable(String key) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < Math.min(key.length(), 64); i++) {
      char c = key.charAt(i);
      text.append(Character.isISOControl(c) || Character.isSurrogate(c) ? '?' : c);
    }
    return key.length() > 64 ? text.append("...").toString() : text.toString();
  }
}
