package dev.abilitystore.identity;

import dev.abilitystore.Ability;
import dev.abilitystore.json.CanonicalJson;
import java.util.HexFormat;

/**
 * The {@code content_hash} of an ability: lowercase hex SHA-256 of its canonical JSON
 * ({@link CanonicalJson}). Two copies of an ability agree exactly when their hashes do;
 * timestamps are not part of the content. Thread-safe.
 */
public final class ContentHash {
  private ContentHash() {}

  /** Returns the content hash of {@code ability}. */
  public static String of(Ability ability) {
    return HexFormat.of().formatHex(VectorIds.sha256().digest(CanonicalJson.contentBytes(ability)));
  }
}
