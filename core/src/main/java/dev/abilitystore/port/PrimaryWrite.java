package dev.abilitystore.port;

/**
 * The primary's write of a batch, as the secondary's write of the same batch waits for it: see
 * {@link RecordStore#upsertAfter}. Thread-safe.
 */
@FunctionalInterface
public interface PrimaryWrite {
  /** The outcome of a primary write that has already succeeded. */
  PrimaryWrite SUCCEEDED = () -> true;

  /**
   * Blocks until the primary's write has ended and returns whether it succeeded. An interrupted
   * wait answers false (the secondary's write is then abandoned) with the interrupt flag set.
   */
  boolean succeeded();
}
