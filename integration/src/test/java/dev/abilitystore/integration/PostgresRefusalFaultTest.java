package dev.abilitystore.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.identity.ContentHash;
import dev.abilitystore.replication.ParkedWrites;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * PostgreSQL refusing some writes for good — here a CHECK constraint an operator added, as a
 * missing privilege or a value out of range would — while the rest of an ingest goes on: every
 * write is acknowledged, the refused ones are set aside instead of blocking the queue, every
 * other one reaches PostgreSQL, and once the constraint is dropped a sync repairs the set-aside
 * ones and forgets them. With either primary.
 */
class PostgresRefusalFaultTest extends DualStoreTest {
  private static final int ABILITIES = 600;
  private static final int BATCH = 40;

  @ParameterizedTest(name = "{0}")
  @EnumSource(Primary.class)
  void constraintRefusingSomeAbilities_setsThemAsideAndLetsEveryOtherWriteThrough(Primary primary) {
    Map<String, String> acknowledged = new LinkedHashMap<>();
    try (AbilityStore store = DualStore.open(primary, dataDirectory, database.config(), infraxa.url())) {
      database.execute("ALTER TABLE abilities ADD CONSTRAINT refuses_every_seventh "
          + "CHECK (right(ability_id, 1) <> '7')");
      for (int start = 0; start < ABILITIES; start += BATCH) {
        List<Ability> batch = AcknowledgedIngest.batch("ability", start, BATCH);
        store.store(batch);
        batch.forEach(ability -> acknowledged.put(ability.abilityId(), ContentHash.of(ability)));
      }
      DualStore.await("the replication queue drains past the refused writes", Duration.ofSeconds(60),
          () -> store.replication().orElseThrow().depth() == 0);

      List<String> refused = acknowledged.keySet().stream().filter(id -> id.endsWith("7")).sorted().toList();
      acknowledged.forEach((id, hash) -> assertThat(store.primary().get(id).map(ContentHash::of))
          .as("the primary holds %s", id).contains(hash));
      Map<String, String> inPostgres = DualStore.secondaryContent(store);
      assertThat(inPostgres.keySet()).doesNotContainAnyElementsOf(refused);
      assertThat(inPostgres).hasSize(acknowledged.size() - refused.size());
      assertThat(store.parkedWrites()).extracting(ParkedWrites.Parked::abilityId)
          .containsExactlyInAnyOrderElementsOf(refused);
      assertThat(store.parkedWrites().get(0).reason()).contains("refuses_every_seventh").contains("23514");
      int parkedBeforeFix = store.replication().orElseThrow().parked();

      database.execute("ALTER TABLE abilities DROP CONSTRAINT refuses_every_seventh");
      store.sync();

      assertThat(store.parkedWrites()).isEmpty();
      assertThat(DualStore.secondaryContent(store)).isEqualTo(acknowledged);
      DualStore.assertStoresEqual(store);
      Reliability.report("PostgresRefusalFaultTest-" + primary, figures(acknowledged.size(), parkedBeforeFix));
    }
  }

  private static Map<String, Object> figures(int acknowledged, int parked) {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("acknowledged", acknowledged);
    figures.put("refused_and_set_aside", parked);
    figures.put("left_set_aside_after_sync", 0);
    figures.put("lost", 0);
    return figures;
  }
}
