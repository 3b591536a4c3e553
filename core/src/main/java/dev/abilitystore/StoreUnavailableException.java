package dev.abilitystore;

/** A store could not be reached or did not answer in time; nothing was acknowledged. */
public class StoreUnavailableException extends AbilityStoreException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message) {
    super(message);
  }

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
