package dev.abilitystore;

/**
 * A store answered and refused the operation for a reason that trying again will not cure: the
 * data (a value out of the store's range, a constraint), the schema, or a privilege the store's
 * user lacks. The refused call wrote nothing; an operator has to act (fix the data, migrate, or
 * grant) before the same operation can succeed.
 */
public class StoreRefusedException extends AbilityStoreException {
  private static final long serialVersionUID = 1L;

  public StoreRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
