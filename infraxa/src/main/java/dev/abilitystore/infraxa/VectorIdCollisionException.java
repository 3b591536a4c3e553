package dev.abilitystore.infraxa;

import dev.abilitystore.InvalidInputException;

/**
 * Two ability ids share one numeric vector id in one collection; the write was refused before
 * anything was sent, so that neither ability overwrites the other.
 */
public final class VectorIdCollisionException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  VectorIdCollisionException(String abilityId, String otherAbilityId, int vectorId, String blob) {
    super("ability '" + abilityId + "' has vector id " + vectorId + ", which ability '" + otherAbilityId
        + "' already holds in collection " + blob + "; rename one of them (the id is derived from the ability id)");
  }
}
