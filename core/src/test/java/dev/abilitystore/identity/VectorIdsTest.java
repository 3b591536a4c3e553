package dev.abilitystore.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VectorIdsTest {

  /** Expected values computed outside Java, with Python's hashlib: abs(struct.unpack('>i', sha256(id)[:4])). */
  @ParameterizedTest
  @CsvSource({
      "github-get-user, 1008771826",
      "stripe-create-customer, 1429182276",
      "a, 896040686",
      "ability-é-ü, 1127442317",
      "😀-emoji, 1188911513"})
  void of_knownIds_matchTheOriginalAlgorithm(String abilityId, int expected) {
    assertThat(VectorIds.of(abilityId)).isEqualTo(expected);
  }

  @Test
  void of_anyId_equalsAbsOfFirstFourDigestBytes() throws Exception {
    for (int i = 0; i < 1000; i++) {
      String id = "ability-" + i;
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      long expected = Math.abs((long) ByteBuffer.wrap(digest).getInt());
      assertThat((long) VectorIds.of(id)).isEqualTo(expected);
    }
  }

  @Test
  void nonNegative_minValue_mapsToZero() {
    assertThat(VectorIds.nonNegative(Integer.MIN_VALUE)).isZero();
    assertThat(VectorIds.nonNegative(-5)).isEqualTo(5);
    assertThat(VectorIds.nonNegative(Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
  }
}
