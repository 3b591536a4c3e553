package dev.abilitystore.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AbilityIdOrderTest {

  @Test
  void compare_ordersLikeUtf8Bytes() {
    List<String> ids = new ArrayList<>(List.of("b", "a", "ab", "A", "é", "\uFF21", "😀", "a-b", "a_b", ""));
    ids.sort(AbilityIdOrder.COMPARATOR);
    List<String> byBytes = new ArrayList<>(ids);
    byBytes.sort((left, right) -> Arrays.compareUnsigned(left.getBytes(StandardCharsets.UTF_8),
        right.getBytes(StandardCharsets.UTF_8)));
    assertThat(ids).containsExactlyElementsOf(byBytes);
  }

  @Test
  void compare_supplementaryCharacter_sortsAfterHighBmpCharacter() {
    assertThat(AbilityIdOrder.compare("😀", "\uFF21")).isPositive();
    assertThat("😀".compareTo("\uFF21")).isNegative();
  }
}
