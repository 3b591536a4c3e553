package dev.abilitystore.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.sync.SyncDirection;
import dev.abilitystore.sync.SyncProgress;
import dev.abilitystore.sync.SyncReport;
import dev.abilitystore.testing.Abilities;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The reconciler over Lucene or Infraxa and PostgreSQL repairs what was changed behind the store's
 * back. Infraxa cannot list its vectors, so its scans walk PostgreSQL's ids: an ability the index
 * holds and PostgreSQL lacks is invisible to the reconciler, which is why rows deleted by hand
 * have a test of their own for Infraxa.
 */
class ReconcileTest extends DualStoreTest {
  private static List<Ability> abilities(int count) {
    List<Ability> abilities = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      abilities.add(Abilities.simple(String.format("ability-%03d", i), "service-" + i % 4, i % 2 == 0,
          DualStore.DIMENSION));
    }
    return abilities;
  }

  /** Edits rows the way psql would, with triggers off so that the stale stored hash stays behind. */
  private static void editByHand() {
    database.execute("""
        SET session_replication_role = replica;
        DELETE FROM abilities WHERE ability_id IN ('ability-001', 'ability-002');
        UPDATE abilities SET description = 'edited by hand' WHERE ability_id = 'ability-003';
        INSERT INTO abilities (ability_id, vector_id, ability_name, service_name, description, embedding,
            dynamic_header_keys, dynamic_headers_required, metadata, created_at, updated_at)
          SELECT 'added-by-hand', 1, ability_name, service_name, 'added by hand', embedding, dynamic_header_keys,
            dynamic_headers_required, metadata, created_at, updated_at FROM abilities WHERE ability_id = 'ability-004';
        SET session_replication_role = origin;
        """);
  }

  @Test
  void sync_primaryToSecondary_repairsRowsDeletedAlteredAndAddedByHand() {
    // Lucene only: Infraxa's variant is below.
    try (AbilityStore store = DualStore.open(Primary.LUCENE, dataDirectory, database.config(), null)) {
      store.store(abilities(50));
      editByHand();
      Map<String, String> before = DualStore.secondaryContent(store);

      SyncReport dryRun = store.sync(SyncDirection.PRIMARY_TO_SECONDARY, true, SyncProgress.NONE);

      assertThat(DualStore.secondaryContent(store)).as("a dry run changes nothing").isEqualTo(before);
      assertThat(dryRun.missingInSecondary()).isEqualTo(2);
      assertThat(dryRun.missingInPrimary()).isEqualTo(1);
      assertThat(dryRun.stale()).isEqualTo(1);

      SyncReport report = store.sync(SyncDirection.PRIMARY_TO_SECONDARY, false, SyncProgress.NONE);

      assertThat(report.repaired()).isEqualTo(4);
      assertThat(report.repairs()).extracting(SyncReport.Repair::abilityId)
          .containsExactlyInAnyOrder("ability-001", "ability-002", "ability-003", "added-by-hand");
      DualStore.assertStoresEqual(store);
      assertThat(store.sync(SyncDirection.PRIMARY_TO_SECONDARY, true, SyncProgress.NONE).repaired()).isZero();
    }
  }

  /**
   * The same edits with Infraxa as the primary. Infraxa's scan sees only the ids PostgreSQL holds
   * (the API cannot list vectors; see {@code IdSource}), so the two rows deleted by hand are
   * invisible to the reconciler: it finds nothing missing in PostgreSQL and cannot restore them,
   * although Infraxa still holds both. What it does see, the row altered and the row added by
   * hand, it repairs as over Lucene; and the stores are equal as far as a scan can tell.
   */
  @Test
  void sync_primaryToSecondary_infraxa_repairsRowsAlteredAndAddedByHandButCannotSeeRowsDeletedByHand() {
    try (AbilityStore store = DualStore.open(Primary.INFRAXA, dataDirectory, database.config(), infraxa.url())) {
      store.store(abilities(50));
      editByHand();
      Map<String, String> before = DualStore.secondaryContent(store);

      SyncReport dryRun = store.sync(SyncDirection.PRIMARY_TO_SECONDARY, true, SyncProgress.NONE);

      assertThat(DualStore.secondaryContent(store)).as("a dry run changes nothing").isEqualTo(before);
      assertThat(dryRun.missingInSecondary()).as("deleted by hand: invisible to Infraxa's scan").isZero();
      assertThat(dryRun.missingInPrimary()).isEqualTo(1);
      assertThat(dryRun.stale()).isEqualTo(1);

      SyncReport report = store.sync(SyncDirection.PRIMARY_TO_SECONDARY, false, SyncProgress.NONE);

      assertThat(report.repaired()).isEqualTo(2);
      assertThat(report.repairs()).extracting(SyncReport.Repair::abilityId)
          .containsExactlyInAnyOrder("ability-003", "added-by-hand");
      DualStore.assertStoresEqual(store);
      assertThat(store.sync(SyncDirection.PRIMARY_TO_SECONDARY, true, SyncProgress.NONE).repaired()).isZero();
      // Still in Infraxa, still gone from PostgreSQL: the reconciler has no way to learn of them.
      assertThat(store.primary().get("ability-001")).isPresent();
      assertThat(store.primary().get("ability-002")).isPresent();
      assertThat(store.secondary().get("ability-001")).isEmpty();
      assertThat(store.secondary().get("ability-002")).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Primary.class)
  void sync_secondaryToPrimary_restoresTheIndexFromPostgres(Primary primary) {
    try (AbilityStore store = DualStore.open(primary, dataDirectory, database.config(), infraxa.url())) {
      store.store(abilities(50));
      store.primary().delete(List.of("ability-010", "ability-011"));

      SyncReport report = store.sync(SyncDirection.SECONDARY_TO_PRIMARY, false, SyncProgress.NONE);

      assertThat(report.missingInPrimary()).isEqualTo(2);
      assertThat(report.repaired()).isEqualTo(2);
      DualStore.assertStoresEqual(store);
      assertThat(store.primary().get("ability-010").orElseThrow().embedding())
          .isEqualTo(Abilities.vector("ability-010", DualStore.DIMENSION));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Primary.class)
  void sync_bidirectional_newerEditWinsAndDeletionsAreHonoured(Primary primary) {
    try (AbilityStore store = DualStore.open(primary, dataDirectory, database.config(), infraxa.url())) {
      store.store(abilities(20));
      database.execute("UPDATE abilities SET description = 'newer in PostgreSQL', updated_at = now() + interval '1 hour'"
          + " WHERE ability_id = 'ability-005'");
      store.delete(List.of("ability-006"));
      // PostgreSQL restored from an old backup: the deleted row is back.
      database.execute("""
          INSERT INTO abilities (ability_id, vector_id, ability_name, service_name, description, embedding,
              dynamic_header_keys, dynamic_headers_required, metadata, created_at, updated_at)
            SELECT 'ability-006', 1, ability_name, service_name, 'Does ability-006', embedding, dynamic_header_keys,
              dynamic_headers_required, metadata, created_at, updated_at - interval '1 hour'
            FROM abilities WHERE ability_id = 'ability-007'
          """);

      SyncReport report = store.sync(SyncDirection.BIDIRECTIONAL, false, SyncProgress.NONE);

      assertThat(report.deletionsHonoured()).isEqualTo(1);
      assertThat(store.primary().get("ability-005").orElseThrow().description()).isEqualTo("newer in PostgreSQL");
      assertThat(store.secondary().get("ability-006")).isEmpty();
      DualStore.assertStoresEqual(store);
    }
  }
}
