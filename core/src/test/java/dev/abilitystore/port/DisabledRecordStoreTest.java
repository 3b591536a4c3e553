package dev.abilitystore.port;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.testing.Abilities;
import java.util.List;
import org.junit.jupiter.api.Test;

class DisabledRecordStoreTest {
  private final RecordStore disabled = RecordStore.disabled();

  @Test
  void disabled_holdsNothingAndSaysHowToEnable() {
    assertThat(disabled.enabled()).isFalse();
    assertThat(disabled.upsert(List.of(Abilities.simple("a", "s", false, 4))).outcomes()).isEmpty();
    assertThat(disabled.get("a")).isEmpty();
    assertThat(disabled.query(AbilityQuery.firstPage(AbilityFilter.ALL, 10)).items()).isEmpty();
    assertThat(disabled.count(AbilityFilter.ALL)).isZero();
    assertThat(disabled.health().status()).isEqualTo(Health.Status.DISABLED);
    assertThat(disabled.health().detail()).contains("DATABASE_URL");
  }
}
