package dev.abilitystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AbilityQueryTest {

  @Test
  void cursor_roundTripsAnyId() {
    for (String id : new String[] {"a", "github-get-user", "récupérer-😀", "a:b"}) {
      AbilityQuery query = AbilityQuery.firstPage(AbilityFilter.ALL, 10).next(AbilityQuery.cursorAfter(id));
      assertThat(query.afterAbilityId()).isEqualTo(id);
    }
    assertThat(AbilityQuery.firstPage(AbilityFilter.ALL, 10).afterAbilityId()).isNull();
  }

  @Test
  void cursor_forged_isRejectedWithTheFix() {
    assertThatThrownBy(() -> new AbilityQuery(AbilityFilter.ALL, 10, "not-a-cursor"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("pass the next_cursor");
    assertThatThrownBy(() -> new AbilityQuery(AbilityFilter.ALL, 10, "%%%"))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void limit_isBetween1And1000() {
    assertThatThrownBy(() -> AbilityQuery.firstPage(AbilityFilter.ALL, 0))
        .hasMessage("limit must be between 1 and 1000, was 0");
    assertThatThrownBy(() -> AbilityQuery.firstPage(AbilityFilter.ALL, 1001)).isInstanceOf(InvalidInputException.class);
    assertThat(AbilityQuery.firstPage(AbilityFilter.ALL, 1000).limit()).isEqualTo(1000);
  }

  @Test
  void filter_emptyTimeRange_isRejected() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    assertThatThrownBy(() -> AbilityFilter.builder().createdFrom(now).createdBefore(now).build())
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("created range is empty");
  }
}
