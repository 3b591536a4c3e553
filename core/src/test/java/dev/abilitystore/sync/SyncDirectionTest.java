package dev.abilitystore.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.InvalidInputException;
import org.junit.jupiter.api.Test;

class SyncDirectionTest {
  @Test
  void wireName_isKebabCase() {
    assertThat(SyncDirection.PRIMARY_TO_SECONDARY.wireName()).isEqualTo("primary-to-secondary");
    assertThat(SyncDirection.SECONDARY_TO_PRIMARY.wireName()).isEqualTo("secondary-to-primary");
    assertThat(SyncDirection.BIDIRECTIONAL.wireName()).isEqualTo("bidirectional");
    assertThat(SyncDirection.DEFAULT).isEqualTo(SyncDirection.PRIMARY_TO_SECONDARY);
  }

  @Test
  void parse_acceptsWireNamesInAnyCaseWithUnderscores() {
    for (SyncDirection direction : SyncDirection.values()) {
      assertThat(SyncDirection.parse(direction.wireName())).isEqualTo(direction);
      assertThat(SyncDirection.parse(direction.name())).isEqualTo(direction);
    }
    assertThat(SyncDirection.parse(" Secondary_To-Primary ")).isEqualTo(SyncDirection.SECONDARY_TO_PRIMARY);
  }

  @Test
  void parse_unknownName_listsTheChoices() {
    assertThatThrownBy(() -> SyncDirection.parse("sideways"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("sync direction must be one of primary-to-secondary, secondary-to-primary, bidirectional, "
            + "was 'sideways'");
  }

  @Test
  void parse_longInput_isEchoedBounded() {
    assertThatThrownBy(() -> SyncDirection.parse("x".repeat(10_000)))
        .isInstanceOf(InvalidInputException.class)
        .message().hasSizeLessThan(200);
  }
}
