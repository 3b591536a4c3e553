package dev.abilitystore.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.abilitystore.Ability;
import dev.abilitystore.json.CanonicalJson;
import java.util.HexFormat;

/**
 * The {@code content_hash} of an ability: lowercase hex SHA-256 of its canonical JSON
 * ({@link CanonicalJson}). Two copies of an ability agree exactly when their hashes do;
 * timestamps are not part of the content.
 *
 * <p>The hashes of recently hashed {@link Ability} instances are remembered, by identity: an
 * ability is immutable, so its hash never changes, and a store call hashes each ability of its
 * batch twice, in the primary and in PostgreSQL, which at 3,072 dimensions costs nearly as much
 * as the primary's HNSW insertion (formatting the embedding's components dominates). Weak keys:
 * an entry goes when its ability does. Thread-safe.
 */
public final class ContentHash {
  /** Enough for the batches in flight: a stored batch holds at most 1,000 abilities. */
  private static final int REMEMBERED = 10_000;
  private static final Cache<Ability, String> RECENT = Caffeine.newBuilder()
      .weakKeys()
      .maximumSize(REMEMBERED)
      .build();

  private ContentHash() {}

  /** Returns the content hash of {@code ability}. */
  public static String of(Ability ability) {
    return RECENT.get(ability, ContentHash::compute);
  }

  private static String compute(Ability ability) {
    return HexFormat.of().formatHex(VectorIds.sha256().digest(CanonicalJson.contentBytes(ability)));
  }
}
