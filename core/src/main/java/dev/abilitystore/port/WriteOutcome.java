package dev.abilitystore.port;

/** What an upsert did to one ability. */
public enum WriteOutcome {
  /** The ability was new. */
  INSERTED,
  /** The ability existed with other content and was replaced. */
  UPDATED,
  /** The ability existed with the same content hash; nothing was written. */
  UNCHANGED
}
