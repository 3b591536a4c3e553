package dev.abilitystore.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityStoreException;
import dev.abilitystore.Page;
import dev.abilitystore.testing.Abilities;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScanCursorTest {
  private static Ability ability(String abilityId) {
    return Abilities.simple(abilityId, "s", false, 2);
  }

  @Test
  void walksEveryPage_askingForAPageAtATime() {
    List<Integer> limits = new ArrayList<>();
    List<Ability> all = List.of(ability("a"), ability("b"), ability("c"));
    ScanCursor cursor = new ScanCursor("store", (after, limit) -> {
      limits.add(limit);
      List<Ability> rest = all.stream().filter(ability -> after == null || ability.abilityId().compareTo(after) > 0)
          .toList();
      List<Ability> page = rest.subList(0, Math.min(limit, rest.size()));
      return new Page<>(page, rest.size() > limit ? "more" : null);
    }, 2);

    List<String> seen = new ArrayList<>();
    for (Ability next = cursor.peek(); next != null; next = cursor.peek()) {
      seen.add(next.abilityId());
      cursor.advance();
    }

    assertThat(seen).containsExactly("a", "b", "c");
    assertThat(limits).containsExactly(2, 2);
    assertThat(cursor.scanned()).isEqualTo(3);
  }

  @Test
  void storeOutOfIdOrder_isRefused() {
    ScanCursor cursor = new ScanCursor("PostgreSQL", (after, limit) -> new Page<>(List.of(ability("b"), ability("a")),
        null), 10);

    assertThatThrownBy(cursor::peek)
        .isInstanceOf(AbilityStoreException.class)
        .hasMessageContaining("PostgreSQL returned ability ids out of order ('a' after 'b')");
  }
}
