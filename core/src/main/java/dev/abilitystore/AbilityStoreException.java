package dev.abilitystore;

/**
 * The root of every exception Ability Store throws on purpose.
 *
 * <p>Subclasses say what a caller can act on: {@link InvalidInputException} (fix the input),
 * {@link StoreUnavailableException} (retry later, or check the store).
 */
public class AbilityStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AbilityStoreException(String message) {
    super(message);
  }

  public AbilityStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
