package dev.abilitystore;

import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * An ability broke one or more rules; {@link #errors()} names each field and rule.
 *
 * <p>The message lists every error, so one look at a log line tells what to fix.
 */
public class InvalidAbilityException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private final @Nullable String abilityId;
  private final List<FieldError> errors;

  public InvalidAbilityException(@Nullable String abilityId, List<FieldError> errors) {
    super(describe(abilityId, errors));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("an invalid ability has at least one error");
    }
    this.abilityId = abilityId;
    this.errors = List.copyOf(errors);
  }

  public InvalidAbilityException(@Nullable String abilityId, FieldError error) {
    this(abilityId, List.of(error));
  }

  /** Returns the id of the rejected ability, when it had a readable one. */
  public @Nullable String abilityId() {
    return abilityId;
  }

  /** Returns every rule the ability broke, in field order. */
  public List<FieldError> errors() {
    return errors;
  }

  private static String describe(@Nullable String abilityId, List<FieldError> errors) {
    String subject = abilityId == null ? "invalid ability" : "invalid ability '" + abilityId + "'";
    return errors.stream().map(FieldError::toString).collect(Collectors.joining("; ", subject + ": ", ""));
  }
}
