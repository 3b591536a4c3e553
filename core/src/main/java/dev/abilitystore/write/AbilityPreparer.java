package dev.abilitystore.write;

import dev.abilitystore.Ability;
import dev.abilitystore.Embedding;
import dev.abilitystore.InvalidAbilityException;
import dev.abilitystore.embed.AbilityText;
import dev.abilitystore.port.Embedder;
import dev.abilitystore.redaction.CredentialRedactor;
import dev.abilitystore.redaction.Redaction;
import dev.abilitystore.validation.AbilityValidator;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes abilities ready for the stores: checks them, replaces credentials by
 * {@code [REDACTED]} (logging where, never what), and embeds those that came without an
 * embedding, in one batch call to the embedder.
 *
 * <p>A batch is all or nothing: if any ability is invalid, {@link #prepare} throws before the
 * embedder is called, so bad input costs nothing and changes nothing. Thread-safe when the
 * embedder is.
 */
public final class AbilityPreparer {
  private static final Logger log = LoggerFactory.getLogger(AbilityPreparer.class);

  private final Embedder embedder;
  private final AbilityValidator validator;

  public AbilityPreparer(Embedder embedder) {
    this.embedder = embedder;
    this.validator = AbilityValidator.forDimension(embedder.dimension());
  }

  /** Returns the validator this preparer checks abilities with. */
  public AbilityValidator validator() {
    return validator;
  }

  /**
   * Returns the abilities validated, redacted and embedded, in order.
   *
   * @throws InvalidAbilityException for the first invalid ability, naming every rule it broke
   */
  public List<Ability> prepare(List<Ability> abilities) {
    List<Ability> redacted = new ArrayList<>(abilities.size());
    for (Ability ability : abilities) {
      validator.validate(ability);
      Redaction redaction = CredentialRedactor.redact(ability);
      if (redaction.changed()) {
        log.info("[VectorDB] Redacted credentials of ability {} in {}", ability.abilityId(),
            redaction.redactedFields());
      }
      redacted.add(validator.validate(redaction.ability()));
    }
    return embedMissing(redacted);
  }

  private List<Ability> embedMissing(List<Ability> abilities) {
    List<Integer> missing = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < abilities.size(); i++) {
      if (abilities.get(i).embedding() == null) {
        missing.add(i);
        texts.add(AbilityText.of(abilities.get(i)));
      }
    }
    if (missing.isEmpty()) {
      return abilities;
    }
    List<Embedding> embeddings = embedder.embedDocuments(texts);
    List<Ability> embedded = new ArrayList<>(abilities);
    for (int i = 0; i < missing.size(); i++) {
      int index = missing.get(i);
      embedded.set(index, validator.validate(abilities.get(index).withEmbedding(embeddings.get(i))));
    }
    return embedded;
  }
}
