package dev.abilitystore.sync;

import dev.abilitystore.Ability;
import dev.abilitystore.identity.ContentHash;
import org.jspecify.annotations.Nullable;

/** How the two stores' copies of one ability differ, judged by hashing what each returned. */
enum Difference {
  NONE,
  MISSING_IN_PRIMARY,
  MISSING_IN_SECONDARY,
  STALE;

  /** Compares the copies; at least one must be present. */
  static Difference of(@Nullable Ability inPrimary, @Nullable Ability inSecondary) {
    if (inPrimary == null) {
      return inSecondary == null ? NONE : MISSING_IN_PRIMARY;
    }
    if (inSecondary == null) {
      return MISSING_IN_SECONDARY;
    }
    return ContentHash.of(inPrimary).equals(ContentHash.of(inSecondary)) ? NONE : STALE;
  }
}
