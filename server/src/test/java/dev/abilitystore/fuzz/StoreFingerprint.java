package dev.abilitystore.fuzz;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.Page;
import dev.abilitystore.json.AbilityJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * What both stores hold, for telling whether anything changed: per store the number of
 * abilities, their ids, and a SHA-256 of every ability's full JSON (embedding and timestamps
 * included), read page by page in id order straight from the index and from PostgreSQL.
 *
 * @param primaryCount abilities in the index
 * @param primaryHash SHA-256 of the index's abilities
 * @param secondaryCount rows in PostgreSQL (0 without it)
 * @param secondaryHash SHA-256 of PostgreSQL's abilities
 * @param ids the ids in the index, in order
 */
public record StoreFingerprint(long primaryCount, String primaryHash, long secondaryCount, String secondaryHash,
    List<String> ids) {

  /** Reads both stores of {@code store}. */
  public static StoreFingerprint of(AbilityStore store) {
    Side primary = side(store.primary()::scan);
    Side secondary = store.secondary().enabled() ? side(store.secondary()::scan) : new Side(0, "", List.of());
    long counted = store.primary().count();
    if (counted != primary.count) {
      throw new AssertionError("the index counts " + counted + " abilities but scans " + primary.count);
    }
    if (store.secondary().enabled() && store.secondary().count(AbilityFilter.ALL) != secondary.count) {
      throw new AssertionError("PostgreSQL counts " + store.secondary().count(AbilityFilter.ALL)
          + " abilities but scans " + secondary.count);
    }
    return new StoreFingerprint(primary.count, primary.hash, secondary.count, secondary.hash, primary.ids);
  }

  /** What differs from {@code before}, for failure messages; empty when nothing does. */
  public String differenceFrom(StoreFingerprint before) {
    List<String> differences = new ArrayList<>();
    if (primaryCount != before.primaryCount || !primaryHash.equals(before.primaryHash)) {
      differences.add("index: " + before.primaryCount + " -> " + primaryCount + " abilities"
          + (primaryHash.equals(before.primaryHash) ? "" : ", content changed"));
    }
    if (secondaryCount != before.secondaryCount || !secondaryHash.equals(before.secondaryHash)) {
      differences.add("PostgreSQL: " + before.secondaryCount + " -> " + secondaryCount + " abilities"
          + (secondaryHash.equals(before.secondaryHash) ? "" : ", content changed"));
    }
    List<String> added = new ArrayList<>(ids);
    added.removeAll(before.ids);
    List<String> removed = new ArrayList<>(before.ids);
    removed.removeAll(ids);
    if (!added.isEmpty()) {
      differences.add("added " + bounded(added));
    }
    if (!removed.isEmpty()) {
      differences.add("removed " + bounded(removed));
    }
    return String.join("; ", differences);
  }

  private static String bounded(List<String> ids) {
    return ids.size() <= 10 ? ids.toString() : ids.subList(0, 10) + " and " + (ids.size() - 10) + " more";
  }

  private record Side(long count, String hash, List<String> ids) {}

  private static Side side(BiFunction<@Nullable String, Integer, Page<Ability>> scan) {
    MessageDigest digest = sha256();
    List<String> ids = new ArrayList<>();
    String after = null;
    while (true) {
      Page<Ability> page = scan.apply(after, 500);
      for (Ability ability : page.items()) {
        ids.add(ability.abilityId());
        digest.update(AbilityJson.toJson(ability, true).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
      }
      if (page.nextCursor() == null || page.items().isEmpty()) {
        break;
      }
      after = page.items().get(page.items().size() - 1).abilityId();
    }
    return new Side(ids.size(), HexFormat.of().formatHex(digest.digest()), List.copyOf(ids));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
