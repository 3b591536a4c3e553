package dev.abilitystore;

/** Input was rejected before anything was written: a bad filter, cursor, file or setting. */
public class InvalidInputException extends AbilityStoreException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
