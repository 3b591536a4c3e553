package dev.abilitystore.sync;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityStoreException;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.Page;
import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.identity.AbilityIdOrder;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Walks one store's abilities in id order, one page in memory at a time. Checks that the store
 * keeps to {@link AbilityIdOrder}, which the merge-join depends on. Not thread-safe.
 */
final class ScanCursor {
  /** A store's {@code scan}. */
  @FunctionalInterface
  interface Scan {
    Page<Ability> page(@Nullable String afterAbilityId, int limit);
  }

  private final String storeName;
  private final Scan scan;
  private final int pageSize;
  private List<Ability> page = List.of();
  private int position;
  private @Nullable String lastAbilityId;
  private boolean started;
  private boolean lastPage;
  private long scanned;

  ScanCursor(String storeName, Scan scan, int pageSize) {
    this.storeName = storeName;
    this.scan = scan;
    this.pageSize = pageSize;
  }

  /** Returns the next ability without consuming it, or null after the last. */
  @Nullable Ability peek() {
    while (position >= page.size()) {
      if (started && lastPage) {
        return null;
      }
      fetch();
    }
    return page.get(position);
  }

  /** Consumes the ability {@link #peek} returned. */
  void advance() {
    if (peek() == null) {
      throw new IllegalStateException("the scan of " + storeName + " is over");
    }
    position++;
    scanned++;
  }

  /** Returns how many abilities were consumed. */
  long scanned() {
    return scanned;
  }

  private void fetch() {
    Page<Ability> next;
    try {
      next = scan.page(lastAbilityId, pageSize);
    } catch (InvalidInputException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new StoreUnavailableException("[Sync] cannot read " + storeName + " after " + scanned + " abilities: "
          + e.getMessage(), e);
    }
    started = true;
    page = next.items();
    position = 0;
    lastPage = page.isEmpty() || !next.hasNext();
    for (Ability ability : page) {
      if (lastAbilityId != null && AbilityIdOrder.compare(lastAbilityId, ability.abilityId()) >= 0) {
        throw new AbilityStoreException("[Sync] " + storeName + " returned ability ids out of order ('"
            + ability.abilityId() + "' after '" + lastAbilityId + "'); its scan must follow code-point order");
      }
      lastAbilityId = ability.abilityId();
    }
  }
}
