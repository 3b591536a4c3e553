package dev.abilitystore.redaction;

import dev.abilitystore.Ability;
import java.util.List;

/**
 * The outcome of redacting one ability.
 *
 * @param ability the ability with every credential value replaced by {@code [REDACTED]}
 * @param redactedFields the JSON paths whose values were replaced, for the log; never the values
 */
public record Redaction(Ability ability, List<String> redactedFields) {
  public Redaction {
    redactedFields = List.copyOf(redactedFields);
  }

  /** True when something was replaced. */
  public boolean changed() {
    return !redactedFields.isEmpty();
  }
}
