package dev.abilitystore.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The numeric id the original TypeScript system gave each ability, which Infraxa stores it
 * under: the first four bytes of SHA-256 over the UTF-8 ability id, read as a signed
 * big-endian int32, then made non-negative with {@code abs}.
 *
 * <p>One value needs a choice: {@code abs(Integer.MIN_VALUE)} does not fit an int (the
 * original produced 2147483648, which its own INTEGER column then refused). We map it to
 * {@code 0}. Every other result {@code v > 0} has exactly two preimages ({@code v} and
 * {@code -v}) while {@code 0} had one; giving {@code 0} the second keeps the ids evenly spread
 * and every id a valid non-negative INTEGER. Thread-safe.
 */
public final class VectorIds {
  private VectorIds() {}

  /** Returns the vector id of {@code abilityId}. */
  public static int of(String abilityId) {
    byte[] digest = sha256().digest(abilityId.getBytes(StandardCharsets.UTF_8));
    int signed = ((digest[0] & 0xff) << 24) | ((digest[1] & 0xff) << 16) | ((digest[2] & 0xff) << 8)
        | (digest[3] & 0xff);
    return nonNegative(signed);
  }

  /** Returns {@code abs(signed)}, with {@link Integer#MIN_VALUE} mapped to 0 (see the class comment). */
  static int nonNegative(int signed) {
    return signed == Integer.MIN_VALUE ? 0 : Math.abs(signed);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }
}
