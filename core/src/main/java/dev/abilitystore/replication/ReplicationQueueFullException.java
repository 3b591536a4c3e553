package dev.abilitystore.replication;

import dev.abilitystore.StoreUnavailableException;

/** The replication queue reached its size limit; the write was not queued and not acknowledged. */
public final class ReplicationQueueFullException extends StoreUnavailableException {
  private static final long serialVersionUID = 1L;

  ReplicationQueueFullException(String message) {
    super(message);
  }
}
