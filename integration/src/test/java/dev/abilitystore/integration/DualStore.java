package dev.abilitystore.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.embed.HashingEmbedder;
import dev.abilitystore.fuzz.TestStores;
import dev.abilitystore.identity.ContentHash;
import dev.abilitystore.port.VectorIndex;
import dev.abilitystore.postgres.PostgresConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Opens an {@link AbilityStore} over the real adapters (Lucene or Infraxa, and PostgreSQL), and
 * compares what the two stores hold.
 */
final class DualStore {
  static final int DIMENSION = 32;

  private DualStore() {}

  /**
   * Opens {@code primary} for {@code dataDirectory} (Infraxa at {@code infraxa}, with PostgreSQL's
   * ids as its id source) and PostgreSQL at {@code postgres} (which may be unreachable).
   */
  static AbilityStore open(Primary primary, Path dataDirectory, PostgresConfig postgres, @Nullable URI infraxa) {
    return builder(primary, dataDirectory, postgres, infraxa).build();
  }

  static AbilityStore.Builder builder(Primary primary, Path dataDirectory, PostgresConfig postgres,
      @Nullable URI infraxa) {
    HashingEmbedder embedder = new HashingEmbedder(DIMENSION);
    VectorIndex index = primary.open(dataDirectory, embedder.model(), new PostgresIds(postgres), infraxa);
    return TestStores.besidePostgres(index, postgres, embedder, dataDirectory).builder();
  }

  /** Returns every ability id of {@code store}'s primary with the content hash of what it holds, in id order. */
  static Map<String, String> primaryContent(AbilityStore store) {
    return content((after, limit) -> store.primary().scan(after, limit).items());
  }

  /** The same for PostgreSQL. */
  static Map<String, String> secondaryContent(AbilityStore store) {
    return content((after, limit) -> store.secondary().scan(after, limit).items());
  }

  private interface Scan {
    List<Ability> page(@Nullable String after, int limit);
  }

  private static Map<String, String> content(Scan scan) {
    Map<String, String> hashes = new LinkedHashMap<>();
    String after = null;
    while (true) {
      List<Ability> page = scan.page(after, 1000);
      if (page.isEmpty()) {
        return hashes;
      }
      page.forEach(ability -> hashes.put(ability.abilityId(), ContentHash.of(ability)));
      after = page.get(page.size() - 1).abilityId();
    }
  }

  /** Asserts that both stores hold exactly the same abilities with the same content. */
  static void assertStoresEqual(AbilityStore store) {
    Map<String, String> primary = primaryContent(store);
    assertThat(secondaryContent(store)).as("PostgreSQL holds what the primary holds").isEqualTo(primary);
  }

  static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": not within " + timeout.toSeconds() + " s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
