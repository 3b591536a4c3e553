package dev.abilitystore.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityStoreException;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.Page;
import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.identity.ContentHash;
import dev.abilitystore.port.RecordStore;
import dev.abilitystore.replication.Backoff;
import dev.abilitystore.replication.ParkedWrites;
import dev.abilitystore.replication.ReplicationQueue;
import dev.abilitystore.replication.Replicator;
import dev.abilitystore.replication.SecondaryWriter;
import dev.abilitystore.sync.SyncReport.Action;
import dev.abilitystore.sync.SyncReport.Repair;
import dev.abilitystore.testing.Abilities;
import dev.abilitystore.testing.InMemoryRecordStore;
import dev.abilitystore.testing.InMemoryVectorIndex;
import dev.abilitystore.testing.MutableClock;
import dev.abilitystore.write.IdLocks;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReconcilerTest {
  private static final int DIMENSION = 4;
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T1 = T0.plusSeconds(60);
  private static final Instant T2 = T0.plusSeconds(120);

  @TempDir
  Path directory;

  private final MutableClock clock = new MutableClock(T2.plusSeconds(60));
  private final InMemoryVectorIndex index = new InMemoryVectorIndex(DIMENSION, clock);
  private final InMemoryRecordStore postgres = new InMemoryRecordStore(clock);
  private final WatchedVectorIndex primary = new WatchedVectorIndex(index);
  private final WatchedRecordStore secondary = new WatchedRecordStore(postgres);
  private final IdLocks locks = new IdLocks();
  private ReplicationQueue queue;
  private SecondaryWriter writer;
  private Tombstones tombstones;

  @BeforeEach
  void open() {
    queue = ReplicationQueue.open(directory.resolve("queue"), 1L << 26, clock);
    writer = new SecondaryWriter(secondary, queue, null, Duration.ofSeconds(30));
    tombstones = Tombstones.open(directory.resolve("tombstones"), clock);
  }

  @AfterEach
  void close() {
    writer.close();
    queue.close();
    tombstones.close();
  }

  private Reconciler reconciler(int pageSize) {
    return new Reconciler(primary, secondary, writer, locks, tombstones, clock, pageSize);
  }

  /** Syncs two abilities per page, so that every test crosses page and batch boundaries. */
  private SyncReport sync(SyncDirection direction) {
    return reconciler(2).run(direction, false, SyncProgress.NONE);
  }

  private static Ability ability(String abilityId, String description, Instant updatedAt) {
    return Abilities.simple(abilityId, "github", false, DIMENSION).toBuilder()
        .description(description)
        .createdAt(T0)
        .updatedAt(updatedAt)
        .build();
  }

  private void inIndex(Ability... abilities) {
    index.upsert(List.of(abilities));
  }

  private void inPostgres(Ability... abilities) {
    postgres.upsert(List.of(abilities));
  }

  private static List<Ability> everything(BiFunction<@Nullable String, Integer, Page<Ability>> scan) {
    return scan.apply(null, Integer.MAX_VALUE).items();
  }

  private List<Ability> indexContent() {
    return everything(index::scan);
  }

  private List<Ability> postgresContent() {
    return everything(postgres::scan);
  }

  /** Asserts that both stores hold the same abilities: same content, same timestamps. */
  private void assertStoresAgree() {
    assertThat(fingerprints(postgresContent())).containsExactlyElementsOf(fingerprints(indexContent()));
  }

  private static List<String> fingerprints(List<Ability> abilities) {
    return abilities.stream()
        .map(ability -> ability.abilityId() + " " + ContentHash.of(ability) + " " + ability.createdAt() + " "
            + ability.updatedAt())
        .toList();
  }

  private static String description(RecordStore store, String abilityId) {
    return store.get(abilityId).orElseThrow().description();
  }

  @Test
  void primaryToSecondary_copiesMissing_updatesStale_deletesExtra() {
    inIndex(ability("a", "A", T1), ability("b", "B new", T2), ability("c", "C", T1));
    inPostgres(ability("b", "B old", T1), ability("c", "C", T1), ability("x", "extra", T1));

    SyncReport report = sync(SyncDirection.PRIMARY_TO_SECONDARY);

    assertStoresAgree();
    assertThat(postgres.get("a").orElseThrow().updatedAt()).isEqualTo(T1);
    assertThat(postgres.get("b").orElseThrow().updatedAt()).isEqualTo(T2);
    assertThat(report.scannedPrimary()).isEqualTo(3);
    assertThat(report.scannedSecondary()).isEqualTo(3);
    assertThat(report.missingInSecondary()).isOne();
    assertThat(report.missingInPrimary()).isOne();
    assertThat(report.stale()).isOne();
    assertThat(report.repaired()).isEqualTo(3);
    assertThat(report.deletionsHonoured()).isZero();
    assertThat(report.repairs()).containsExactly(new Repair("a", Action.COPIED_TO_SECONDARY),
        new Repair("b", Action.UPDATED_IN_SECONDARY), new Repair("x", Action.DELETED_FROM_SECONDARY));
    assertThat(report.repairsTruncated()).isFalse();
    assertThat(report.dryRun()).isFalse();
    assertThat(report.direction()).isEqualTo(SyncDirection.PRIMARY_TO_SECONDARY);
    assertThat(primary.hooks.writes()).isZero();
  }

  @Test
  void secondaryToPrimary_restoresTheIndexWithStoredEmbeddings() {
    Ability reEmbedded = ability("b", "B", T2).withEmbedding(Abilities.vector("other", DIMENSION));
    inPostgres(ability("a", "A", T1), reEmbedded, ability("c", "C", T1));
    inIndex(ability("b", "B", T1), ability("c", "C", T1), ability("x", "extra", T1));

    SyncReport report = sync(SyncDirection.SECONDARY_TO_PRIMARY);

    assertStoresAgree();
    assertThat(index.get("b").orElseThrow().embedding()).isEqualTo(reEmbedded.embedding());
    assertThat(index.get("a").orElseThrow().updatedAt()).isEqualTo(T1);
    assertThat(report.missingInPrimary()).isOne();
    assertThat(report.missingInSecondary()).isOne();
    assertThat(report.stale()).isOne();
    assertThat(report.repairs()).containsExactly(new Repair("a", Action.COPIED_TO_PRIMARY),
        new Repair("b", Action.UPDATED_IN_PRIMARY), new Repair("x", Action.DELETED_FROM_PRIMARY));
    assertThat(secondary.hooks.writes()).isZero();
  }

  @Test
  void sync_rowEditedByHandInPostgres_isStaleAndRestored() {
    Ability stored = Abilities.full("github-get-user", DIMENSION).withTimestamps(T0, T1);
    inIndex(stored);
    inPostgres(stored);
    inPostgres(stored.toBuilder().metadata("request_url", "https://example.com/edited-by-hand").build());

    SyncReport report = sync(SyncDirection.PRIMARY_TO_SECONDARY);

    assertThat(report.stale()).isOne();
    assertThat(report.repairs()).containsExactly(new Repair("github-get-user", Action.UPDATED_IN_SECONDARY));
    assertThat(postgres.get("github-get-user").orElseThrow().metadataText("request_url"))
        .isEqualTo("https://api.github.com/users/{username}");
    assertStoresAgree();
  }

  @Test
  void sync_copiesDifferingOnlyInTimestamps_agree() {
    inIndex(ability("a", "A", T1));
    inPostgres(ability("a", "A", T2));

    SyncReport report = sync(SyncDirection.BIDIRECTIONAL);

    assertThat(report.stale()).isZero();
    assertThat(report.repaired()).isZero();
  }

  @ParameterizedTest
  @EnumSource(SyncDirection.class)
  void dryRun_changesNothing_andReportsWhatTheRealRunDoes(SyncDirection direction) {
    inIndex(ability("both-newer-in-index", "new", T2), ability("both-same", "same", T1),
        ability("only-index", "I", T1), ability("only-index-deleted", "D", T0));
    inPostgres(ability("both-newer-in-index", "old", T1), ability("both-same", "same", T1),
        ability("both-newer-in-postgres", "new", T2), ability("only-postgres", "P", T1));
    inIndex(ability("both-newer-in-postgres", "old", T1));
    tombstones.record(List.of("only-index-deleted"), T1);
    List<Ability> indexBefore = indexContent();
    List<Ability> postgresBefore = postgresContent();
    List<SyncProgress.Counts> progress = new ArrayList<>();

    SyncReport dryRun = reconciler(2).run(direction, true, progress::add);

    assertThat(fingerprints(indexContent())).isEqualTo(fingerprints(indexBefore));
    assertThat(fingerprints(postgresContent())).isEqualTo(fingerprints(postgresBefore));
    assertThat(primary.hooks.writes() + secondary.hooks.writes()).isZero();
    assertThat(queue.depth()).isZero();
    assertThat(dryRun.dryRun()).isTrue();
    assertThat(progress).isNotEmpty();
    assertThat(progress.get(progress.size() - 1).repaired()).isEqualTo(dryRun.repaired());

    SyncReport real = sync(direction);

    assertStoresAgree();
    assertThat(real.dryRun()).isFalse();
    assertThat(List.of(real.scannedPrimary(), real.scannedSecondary(), real.missingInPrimary(),
        real.missingInSecondary(), real.stale(), real.deletionsHonoured(), real.repaired()))
        .isEqualTo(List.of(dryRun.scannedPrimary(), dryRun.scannedSecondary(), dryRun.missingInPrimary(),
            dryRun.missingInSecondary(), dryRun.stale(), dryRun.deletionsHonoured(), dryRun.repaired()));
    assertThat(real.repairs()).isEqualTo(dryRun.repairs());
    assertThat(real.missingInPrimary()).isOne();
    assertThat(real.missingInSecondary()).isEqualTo(2);
    assertThat(real.stale()).isEqualTo(2);
    assertThat(real.repaired()).isEqualTo(5);
  }

  @Test
  void bidirectional_newerUpdatedAtWins_theIndexOnTies() {
    inIndex(ability("index-newer", "index", T2), ability("postgres-newer", "index", T1),
        ability("tie", "index", T1));
    inPostgres(ability("index-newer", "postgres", T1), ability("postgres-newer", "postgres", T2),
        ability("tie", "postgres", T1));

    SyncReport report = sync(SyncDirection.BIDIRECTIONAL);

    assertStoresAgree();
    assertThat(description(postgres, "index-newer")).isEqualTo("index");
    assertThat(description(postgres, "postgres-newer")).isEqualTo("postgres");
    assertThat(index.get("postgres-newer").orElseThrow().updatedAt()).isEqualTo(T2);
    assertThat(description(postgres, "tie")).isEqualTo("index");
    assertThat(report.stale()).isEqualTo(3);
    assertThat(report.repairs()).containsExactly(new Repair("index-newer", Action.UPDATED_IN_SECONDARY),
        new Repair("postgres-newer", Action.UPDATED_IN_PRIMARY), new Repair("tie", Action.UPDATED_IN_SECONDARY));
  }

  @Test
  void bidirectional_tombstoneAtOrAfterTheCopy_deletesItFromTheSideThatKeptIt() {
    inIndex(ability("kept-by-index", "I", T1));
    inPostgres(ability("kept-by-postgres", "P", T1));
    tombstones.record(List.of("kept-by-index"), T1);
    tombstones.record(List.of("kept-by-postgres"), T2);

    SyncReport report = sync(SyncDirection.BIDIRECTIONAL);

    assertThat(indexContent()).isEmpty();
    assertThat(postgresContent()).isEmpty();
    assertThat(report.deletionsHonoured()).isEqualTo(2);
    assertThat(report.repairs()).containsExactly(new Repair("kept-by-index", Action.DELETED_FROM_PRIMARY),
        new Repair("kept-by-postgres", Action.DELETED_FROM_SECONDARY));
  }

  @Test
  void bidirectional_noTombstoneOrAnOlderOne_copiesAcross() {
    inIndex(ability("index-only", "I", T1), ability("index-only-restored", "I", T2));
    inPostgres(ability("postgres-only", "P", T1), ability("postgres-only-restored", "P", T2));
    tombstones.record(List.of("index-only-restored", "postgres-only-restored"), T1);

    SyncReport report = sync(SyncDirection.BIDIRECTIONAL);

    assertStoresAgree();
    assertThat(indexContent()).hasSize(4);
    assertThat(report.deletionsHonoured()).isZero();
    assertThat(report.repairs()).containsExactly(new Repair("index-only", Action.COPIED_TO_SECONDARY),
        new Repair("index-only-restored", Action.COPIED_TO_SECONDARY),
        new Repair("postgres-only", Action.COPIED_TO_PRIMARY),
        new Repair("postgres-only-restored", Action.COPIED_TO_PRIMARY));
  }

  @Test
  void repair_writeLandedAfterTheScan_isNotOverwritten() {
    inIndex(ability("a", "scanned", T1));
    inPostgres(ability("a", "older", T0));
    Ability landed = ability("a", "written during the sync", T2);
    primary.hooks.beforeNextGetAll(() -> {
      index.upsert(List.of(landed));
      postgres.upsert(List.of(landed));
    });

    SyncReport report = sync(SyncDirection.PRIMARY_TO_SECONDARY);

    assertThat(description(postgres, "a")).isEqualTo("written during the sync");
    assertThat(report.stale()).isOne();
    assertThat(report.repaired()).isZero();
    assertStoresAgree();
  }

  @Test
  void repair_deletionLandedAfterTheScan_isNotUndone() {
    inIndex(ability("a", "scanned", T1));
    primary.hooks.beforeNextGetAll(() -> index.delete(List.of("a")));

    SyncReport report = sync(SyncDirection.PRIMARY_TO_SECONDARY);

    assertThat(postgres.get("a")).isEmpty();
    assertThat(report.missingInSecondary()).isOne();
    assertThat(report.repaired()).isZero();
  }

  @Test
  void repair_sourceChangedAfterTheScan_copiesWhatItHoldsNow() {
    inPostgres(ability("a", "scanned", T1));
    Ability landed = ability("a", "written to PostgreSQL only, during the sync", T2);
    secondary.hooks.beforeNextGetAll(() -> postgres.upsert(List.of(landed)));

    sync(SyncDirection.SECONDARY_TO_PRIMARY);

    assertThat(index.get("a").orElseThrow().description()).isEqualTo(landed.description());
  }

  @Test
  void repair_bidirectional_decidesAgainOnFreshReads() {
    inIndex(ability("a", "index", T1));
    inPostgres(ability("a", "postgres, newer at scan time", T2));
    Ability landed = ability("a", "written during the sync", T2.plusSeconds(1));
    primary.hooks.beforeNextGetAll(() -> index.upsert(List.of(landed)));

    SyncReport report = sync(SyncDirection.BIDIRECTIONAL);

    assertThat(description(postgres, "a")).isEqualTo("written during the sync");
    assertThat(report.repairs()).containsExactly(new Repair("a", Action.UPDATED_IN_SECONDARY));
    assertStoresAgree();
  }

  @Test
  void sync_largeCatalogue_neverAsksAStoreForMoreThanAPage() {
    int size = 20_000;
    int pageSize = 100;
    List<Ability> batch = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      String id = "ability-" + i;
      Ability ability = ability(id, "D" + i, T1);
      batch.add(ability);
      if (batch.size() == 1_000) {
        index.upsert(batch);
        postgres.upsert(batch.stream().filter(copy -> !copy.abilityId().endsWith("7")).map(copy ->
            copy.abilityId().endsWith("3") ? copy.toBuilder().description("stale").build() : copy).toList());
        batch.clear();
      }
    }
    for (int i = 0; i < 500; i++) {
      postgres.upsert(List.of(ability("extra-" + i, "E", T1)));
    }
    List<SyncProgress.Counts> progress = new ArrayList<>();

    SyncReport report = reconciler(pageSize).run(SyncDirection.PRIMARY_TO_SECONDARY, false, progress::add);

    assertThat(primary.hooks.mostAskedFor()).isLessThanOrEqualTo(pageSize);
    assertThat(secondary.hooks.mostAskedFor()).isLessThanOrEqualTo(pageSize);
    assertThat(primary.hooks.mostReturned()).isLessThanOrEqualTo(pageSize);
    assertThat(secondary.hooks.mostReturned()).isLessThanOrEqualTo(pageSize);
    assertThat(report.scannedPrimary()).isEqualTo(size);
    assertThat(report.missingInSecondary()).isEqualTo(2_000);
    assertThat(report.stale()).isEqualTo(2_000);
    assertThat(report.missingInPrimary()).isEqualTo(500);
    assertThat(report.repaired()).isEqualTo(4_500);
    assertThat(report.repairs()).hasSize(SyncReport.MAX_LISTED_REPAIRS);
    assertThat(report.repairsTruncated()).isTrue();
    assertThat(progress).hasSizeGreaterThanOrEqualTo((size + 500) / pageSize);
    assertThat(progress.get(progress.size() - 1).repaired()).isEqualTo(4_500);
    assertStoresAgree();
  }

  @Test
  void sync_indexUnreachable_failsBeforeChangingAnything() {
    inPostgres(ability("a", "A", T1));
    index.down(true);

    assertThatThrownBy(() -> sync(SyncDirection.PRIMARY_TO_SECONDARY))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("the index (memory) is unavailable")
        .hasMessageContaining("nothing was changed");
    assertThat(postgresContent()).hasSize(1);
    assertThat(queue.depth()).isZero();
  }

  @Test
  void sync_postgresUnreachable_failsBeforeChangingAnything() {
    inIndex(ability("a", "A", T1));
    postgres.down(true);

    assertThatThrownBy(() -> sync(SyncDirection.SECONDARY_TO_PRIMARY))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("PostgreSQL is unavailable");
    assertThat(indexContent()).hasSize(1);
  }

  @Test
  void sync_storeClaimsHealthButCannotScan_failsBeforeChangingAnything() {
    inIndex(ability("a", "A", T1));
    secondary.hooks.failScans(new StoreUnavailableException("[DB] connection refused"));

    assertThatThrownBy(() -> sync(SyncDirection.SECONDARY_TO_PRIMARY))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("cannot read PostgreSQL after 0 abilities: [DB] connection refused");
    assertThat(indexContent()).hasSize(1);
    assertThat(primary.hooks.writes()).isZero();
  }

  @Test
  void sync_postgresRefusesWrites_repairsWaitInTheReplicationQueue() {
    inIndex(ability("a", "A", T1), ability("b", "B", T1), ability("c", "C", T1));
    secondary.hooks.failWrites(new StoreUnavailableException("[DB] connection reset"));

    SyncReport report = sync(SyncDirection.PRIMARY_TO_SECONDARY);

    assertThat(report.repaired()).isEqualTo(3);
    assertThat(queue.depth()).isEqualTo(3);
    assertThat(postgresContent()).isEmpty();

    secondary.hooks.failWrites(null);
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try (Replicator replicator = new Replicator(queue, ParkedWrites.open(directory.resolve("queue"), clock), secondary, scheduler,
        Backoff.DEFAULT, new SplittableRandom(1), clock, 100)) {
      replicator.drainOnce();
    } finally {
      scheduler.shutdownNow();
    }
    assertStoresAgree();
  }

  @Test
  void secondaryToPrimary_rowWithoutAUsableEmbedding_isLeftOut() {
    inPostgres(ability("a", "A", T1).withEmbedding(Abilities.vector("a", DIMENSION + 1)), ability("b", "B", T1));

    SyncReport report = sync(SyncDirection.SECONDARY_TO_PRIMARY);

    assertThat(report.missingInPrimary()).isEqualTo(2);
    assertThat(report.repairs()).containsExactly(new Repair("b", Action.COPIED_TO_PRIMARY));
    assertThat(index.get("a")).isEmpty();
  }

  @Test
  void sync_withoutPostgres_isRefusedWithTheFix() {
    try (SecondaryWriter disabled = new SecondaryWriter(RecordStore.disabled(), null, null, Duration.ofSeconds(1))) {
      Reconciler reconciler = new Reconciler(primary, RecordStore.disabled(), disabled, locks, tombstones, clock);

      assertThatThrownBy(() -> reconciler.run(SyncDirection.DEFAULT, false, SyncProgress.NONE))
          .isInstanceOf(InvalidInputException.class)
          .hasMessage("sync needs PostgreSQL: set DATABASE_URL");
    }
  }

  @Test
  void run_whileAnotherSyncRuns_isRefused() {
    for (int i = 0; i < 5; i++) {
      inIndex(ability("a" + i, "A", T1));
    }
    Reconciler reconciler = reconciler(2);
    List<Exception> refusals = new ArrayList<>();

    reconciler.run(SyncDirection.DEFAULT, true, counts -> {
      try {
        reconciler.run(SyncDirection.DEFAULT, true, SyncProgress.NONE);
      } catch (AbilityStoreException e) {
        refusals.add(e);
      }
    });

    assertThat(refusals).isNotEmpty().allSatisfy(refusal -> assertThat(refusal).hasMessageContaining("already running"));
    assertThat(reconciler.run(SyncDirection.DEFAULT, true, SyncProgress.NONE).repaired()).isEqualTo(5);
  }

  @Test
  void constructor_pageSizeBelowOne_isRefused() {
    assertThatThrownBy(() -> reconciler(0))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("sync page size must be at least 1, was 0");
  }


  @Test
  void run_secondaryToPrimaryWhileWritesAreQueued_refusesToChangeTheIndex() {
    inPostgres(ability("a", "old copy in PostgreSQL", T0));
    inIndex(ability("a", "newer, acknowledged, its PostgreSQL write queued", T1));
    queue.append(List.of(dev.abilitystore.replication.QueuedWrite.upsert(ability("a", "queued", T1))));

    assertThatThrownBy(() -> sync(SyncDirection.SECONDARY_TO_PRIMARY))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("replication queue");

    assertThat(index.get("a").orElseThrow().description()).isEqualTo("newer, acknowledged, its PostgreSQL write queued");
  }
}
