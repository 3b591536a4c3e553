package dev.abilitystore;

import java.util.Locale;

/** Where a write stands in the secondary store (PostgreSQL) when the call returns. */
public enum SecondaryState {
  /** Written to PostgreSQL. */
  STORED,
  /** PostgreSQL was down or slow: the write is in the durable replication queue, fsynced. */
  QUEUED,
  /** No PostgreSQL is configured. */
  DISABLED;

  /** Returns the name the API and logs use: {@code stored}, {@code queued}, {@code disabled}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
