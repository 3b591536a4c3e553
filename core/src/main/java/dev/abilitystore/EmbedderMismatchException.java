package dev.abilitystore;

/**
 * A store's vectors were made by one embedding model and it was opened with another: their
 * vectors are not comparable, so searches would silently return nonsense. The message says how
 * to fix it.
 */
public class EmbedderMismatchException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private final String recorded;
  private final String configured;

  public EmbedderMismatchException(String recorded, String configured, String message) {
    super(message);
    this.recorded = recorded;
    this.configured = configured;
  }

  /** Returns the model that made the stored vectors. */
  public String recorded() {
    return recorded;
  }

  /** Returns the model the store was opened with. */
  public String configured() {
    return configured;
  }
}
