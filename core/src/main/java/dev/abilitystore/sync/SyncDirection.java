package dev.abilitystore.sync;

import dev.abilitystore.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which store a sync treats as the truth. Immutable. */
public enum SyncDirection {
  /** Rebuilds PostgreSQL from the index: copies what it lacks or holds stale, deletes its extras. The default. */
  PRIMARY_TO_SECONDARY,
  /** Restores the index from PostgreSQL with the stored embeddings: copies, updates, deletes extras. */
  SECONDARY_TO_PRIMARY,
  /**
   * Merges both ways: the newer {@code updated_at} wins a conflict, the index on ties; an ability
   * on one side only is copied across unless a tombstone says it was deleted after that copy.
   */
  BIDIRECTIONAL;

  private static final int MAX_ECHOED_CHARS = 64;

  /** The direction used when none is given. */
  public static final SyncDirection DEFAULT = PRIMARY_TO_SECONDARY;

  /** Returns the name the CLI and API use: {@code primary-to-secondary}, {@code secondary-to-primary}, {@code bidirectional}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Returns the direction with this wire name, ignoring case and accepting {@code _} for {@code -}.
   *
   * @throws InvalidInputException if no direction has that name; the message lists the choices
   */
  public static SyncDirection parse(String text) {
    String wireName = text.strip().toLowerCase(Locale.ROOT).replace('_', '-');
    for (SyncDirection direction : values()) {
      if (direction.wireName().equals(wireName)) {
        return direction;
      }
    }
    String echoed = text.length() > MAX_ECHOED_CHARS ? text.substring(0, MAX_ECHOED_CHARS) + "…" : text;
    throw new InvalidInputException("sync direction must be one of "
        + Arrays.stream(values()).map(SyncDirection::wireName).collect(Collectors.joining(", "))
        + ", was '" + echoed + "'");
  }
}
