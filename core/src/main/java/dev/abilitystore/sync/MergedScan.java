package dev.abilitystore.sync;

import dev.abilitystore.Ability;
import dev.abilitystore.identity.AbilityIdOrder;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Both stores' scans merged by ability id: each step yields one id with the copy each store
 * holds, or none. Memory: one page of each store. Not thread-safe.
 */
final class MergedScan {
  /**
   * One ability id and both stores' copies; at least one is present.
   *
   * @param inPrimary the index's copy, or null
   * @param inSecondary PostgreSQL's copy, or null
   */
  record Pair(@Nullable Ability inPrimary, @Nullable Ability inSecondary) {
    String abilityId() {
      return Objects.requireNonNull(inPrimary != null ? inPrimary : inSecondary).abilityId();
    }
  }

  private final ScanCursor primary;
  private final ScanCursor secondary;

  MergedScan(ScanCursor primary, ScanCursor secondary) {
    this.primary = primary;
    this.secondary = secondary;
  }

  /** Returns the next id in {@link AbilityIdOrder} with its copies, or null when both scans are over. */
  @Nullable Pair next() {
    Ability nextInPrimary = primary.peek();
    Ability nextInSecondary = secondary.peek();
    if (nextInPrimary == null && nextInSecondary == null) {
      return null;
    }
    int order = nextInPrimary == null ? 1 : nextInSecondary == null ? -1
        : AbilityIdOrder.compare(nextInPrimary.abilityId(), nextInSecondary.abilityId());
    if (order <= 0) {
      primary.advance();
    }
    if (order >= 0) {
      secondary.advance();
    }
    return new Pair(order <= 0 ? nextInPrimary : null, order >= 0 ? nextInSecondary : null);
  }

  long scannedPrimary() {
    return primary.scanned();
  }

  long scannedSecondary() {
    return secondary.scanned();
  }
}
