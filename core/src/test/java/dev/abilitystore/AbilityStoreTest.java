package dev.abilitystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.embed.HashingEmbedder;
import dev.abilitystore.port.EmbedderStamp;
import dev.abilitystore.port.PrimaryWrite;
import dev.abilitystore.port.RecordStore;
import dev.abilitystore.port.SearchHit;
import dev.abilitystore.port.UpsertReport;
import dev.abilitystore.port.VectorIndex;
import dev.abilitystore.port.WriteOutcome;
import dev.abilitystore.replication.Backoff;
import dev.abilitystore.replication.ParkedWrites;
import dev.abilitystore.sync.SyncReport;
import dev.abilitystore.testing.Abilities;
import dev.abilitystore.testing.InMemoryRecordStore;
import dev.abilitystore.testing.InMemoryVectorIndex;
import dev.abilitystore.write.WriteIntents;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AbilityStoreTest {
  private static final int DIMENSION = 16;

  @TempDir Path dataDirectory;
  private final InMemoryVectorIndex primary = new InMemoryVectorIndex(DIMENSION, InstantSource.system());
  private final InMemoryRecordStore secondary = new InMemoryRecordStore(InstantSource.system());
  private final List<AbilityStore> opened = new ArrayList<>();

  @AfterEach
  void closeStores() {
    opened.forEach(AbilityStore::close);
  }

  private AbilityStore open(RecordStore recordStore) {
    AbilityStore store = AbilityStore.builder()
        .primary(primary)
        .secondary(recordStore)
        .embedder(new HashingEmbedder(DIMENSION))
        .dataDirectory(dataDirectory)
        .secondaryTimeout(Duration.ofMillis(500))
        .backoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)))
        .syncOnStart(false)
        .build();
    opened.add(store);
    return store;
  }

  @Test
  void store_healthySecondary_writesBothStores() {
    AbilityStore store = open(secondary);

    StoreResult result = store.store(Abilities.catalogue(DIMENSION));

    assertThat(result.results()).extracting(StoredAbility::secondary).containsOnly(SecondaryState.STORED);
    assertThat(result.results()).extracting(StoredAbility::primary).containsOnly(WriteOutcome.INSERTED);
    assertThat(primary.count()).isEqualTo(6);
    assertThat(secondary.count(AbilityFilter.ALL)).isEqualTo(6);
    Ability inPrimary = primary.get("github-get-user").orElseThrow();
    Ability inSecondary = secondary.get("github-get-user").orElseThrow();
    assertThat(inSecondary).isEqualTo(inPrimary);
  }

  @Test
  void store_sameContentAgain_isUnchanged() {
    AbilityStore store = open(secondary);
    store.store(Abilities.catalogue(DIMENSION));

    StoreResult again = store.store(Abilities.catalogue(DIMENSION));

    assertThat(again.results()).extracting(StoredAbility::primary).containsOnly(WriteOutcome.UNCHANGED);
  }

  @Test
  void store_abilityWithoutEmbedding_isEmbeddedAndGetsVectorId() {
    AbilityStore store = open(secondary);
    Ability bare = Abilities.simple("github-get-user", "github", false, DIMENSION).withEmbedding(null);

    StoredAbility stored = store.store(bare);

    assertThat(stored.vectorId()).isEqualTo(bare.vectorId());
    assertThat(store.get("github-get-user").orElseThrow().embedding()).isNotNull();
    assertThat(secondary.get("github-get-user").orElseThrow().embedding()).isNotNull();
  }

  @Test
  void sync_repairPostgresRefusesForGood_isSetAsideWhenTheSyncReturns() {
    AbilityStore store = open(secondary);
    primary.upsert(List.of(Abilities.simple("only-in-the-index", "s", false, DIMENSION)));
    secondary.refuse(id -> id.equals("only-in-the-index"));

    SyncReport report = store.sync();

    assertThat(report.repaired()).isOne();
    assertThat(store.parkedWrites()).extracting(ParkedWrites.Parked::abilityId).containsExactly("only-in-the-index");
    assertThat(store.replication().orElseThrow().depth()).isZero();
  }

  @Test
  void writesUnderWayWhenTheProcessStopped_areSettledAfterARestart_forAPrimaryThatCannotListWhatItHolds() {
    primary.scansWhatItHolds(false);
    // The process died after the primary's writes and before PostgreSQL's: a new ability and a delete.
    WriteIntents.open(dataDirectory.resolve("replication-queue")).record(List.of("orphan", "deleted", "never"));
    primary.upsert(List.of(Abilities.simple("orphan", "s", false, DIMENSION)));
    secondary.upsert(List.of(Abilities.simple("deleted", "s", false, DIMENSION)));

    open(secondary);

    await(() -> secondary.get("orphan").isPresent() && secondary.get("deleted").isEmpty());
    assertThat(secondary.get("orphan").orElseThrow()).isEqualTo(primary.get("orphan").orElseThrow());
    assertThat(secondary.get("never")).isEmpty();
  }

  @Test
  void get_overtakenByAWriteOfTheSameAbility_doesNotCacheTheOlderVersion() throws Exception {
    AbilityStore store = open(secondary);
    Ability first = Abilities.simple("a", "s", false, DIMENSION);
    store.store(first);
    CountDownLatch read = new CountDownLatch(1);
    CountDownLatch written = new CountDownLatch(1);
    primary.afterRead(() -> {
      read.countDown();
      awaitQuietly(written);
    });
    ExecutorService reader = Executors.newSingleThreadExecutor();
    try {
      Future<Optional<Ability>> slowGet = reader.submit(() -> store.get("a"));
      assertThat(read.await(10, TimeUnit.SECONDS)).isTrue();
      primary.afterRead(() -> {});
      store.store(first.toBuilder().description("second").build());
      written.countDown();

      assertThat(slowGet.get(10, TimeUnit.SECONDS).orElseThrow().description()).isEqualTo(first.description());
      assertThat(store.get("a").orElseThrow().description()).isEqualTo("second");
    } finally {
      reader.shutdownNow();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void store_secondaryRefusesOneAbilityForGood_setsItAsideLaterWritesGoOnAndSyncRepairsItOnceFixed() {
    AbilityStore store = open(secondary);
    secondary.refuse(id -> id.equals("github-get-user"));

    StoreResult result = store.store(Abilities.catalogue(DIMENSION));
    await(() -> store.replication().orElseThrow().depth() == 0);
    store.store(Abilities.simple("later", "github", false, DIMENSION));

    assertThat(result.results()).hasSize(6);
    assertThat(primary.count()).isEqualTo(7);
    assertThat(secondary.get("github-get-user")).isEmpty();
    assertThat(secondary.count(AbilityFilter.ALL)).isEqualTo(6);
    assertThat(store.replication().orElseThrow().parked()).isOne();
    assertThat(store.parkedWrites()).singleElement().satisfies(parked -> {
      assertThat(parked.abilityId()).isEqualTo("github-get-user");
      assertThat(parked.reason()).contains("23514");
    });

    store.sync();
    assertThat(store.parkedWrites()).as("still refused: stays set aside").hasSize(1);

    secondary.refuse(id -> false);
    store.sync();
    assertThat(store.parkedWrites()).isEmpty();
    assertThat(secondary.get("github-get-user").orElseThrow()).isEqualTo(primary.get("github-get-user").orElseThrow());
  }

  @Test
  void store_secondaryDown_queuesAndDeliversWhenItIsBack() {
    AbilityStore store = open(secondary);
    secondary.down(true);

    StoreResult result = store.store(Abilities.catalogue(DIMENSION));

    assertThat(result.results()).extracting(StoredAbility::secondary).containsOnly(SecondaryState.QUEUED);
    assertThat(store.replication().orElseThrow().depth()).isEqualTo(6);
    assertThat(primary.count()).isEqualTo(6);
    secondary.down(false);
    await(() -> store.replication().orElseThrow().depth() == 0);
    assertThat(secondary.count(AbilityFilter.ALL)).isEqualTo(6);
  }

  @Test
  void store_whileWritesAreQueued_queuesToKeepTheirOrder() {
    AbilityStore store = open(secondary);
    secondary.down(true);
    Ability first = Abilities.simple("github-get-user", "github", false, DIMENSION);
    store.store(first);
    secondary.down(false);
    Ability second = first.toBuilder().description("a newer description").build();

    // The first write may already be delivered by the time the second arrives; either way the
    // second must not overtake it.
    store.store(second);
    await(() -> store.replication().orElseThrow().depth() == 0);

    assertThat(secondary.get("github-get-user").orElseThrow().description()).isEqualTo("a newer description");
  }

  @Test
  void store_slowSecondary_queuesAfterTheTimeout() {
    RecordStore slow = slowUpserts(secondary, Duration.ofSeconds(2));
    AbilityStore store = open(slow);

    StoredAbility stored = store.store(Abilities.simple("github-get-user", "github", false, DIMENSION));

    assertThat(stored.secondary()).isEqualTo(SecondaryState.QUEUED);
  }

  @Test
  void store_primaryFails_failsAndLeavesNothingInTheSecondary() {
    AbilityStore store = open(secondary);
    primary.down(true);

    assertThatThrownBy(() -> store.store(Abilities.catalogue(DIMENSION))).isInstanceOf(StoreUnavailableException.class);

    primary.down(false);
    assertThat(secondary.count(AbilityFilter.ALL)).isZero();
    assertThat(store.replication().orElseThrow().depth()).isZero();
  }

  @Test
  void store_invalidAbility_changesNothing() {
    AbilityStore store = open(secondary);
    Ability invalid = Abilities.simple("has space", "github", false, DIMENSION);

    assertThatThrownBy(() -> store.store(List.of(Abilities.simple("ok", "github", false, DIMENSION), invalid)))
        .isInstanceOf(InvalidAbilityException.class);

    assertThat(primary.count()).isZero();
    assertThat(secondary.count(AbilityFilter.ALL)).isZero();
  }

  @Test
  void store_queuedWritesSurviveARestart() {
    AbilityStore store = open(secondary);
    secondary.down(true);
    store.store(Abilities.catalogue(DIMENSION));
    store.close();
    opened.remove(store);
    secondary.down(false);

    AbilityStore reopened = open(secondary);

    await(() -> reopened.replication().orElseThrow().depth() == 0);
    assertThat(secondary.count(AbilityFilter.ALL)).isEqualTo(6);
  }

  @Test
  void delete_secondaryDown_isQueuedAndDelivered() {
    AbilityStore store = open(secondary);
    store.store(Abilities.catalogue(DIMENSION));
    secondary.down(true);

    DeleteResult result = store.delete(List.of("github-get-user", "not-there"));

    assertThat(result.secondary()).isEqualTo(SecondaryState.QUEUED);
    assertThat(store.get("github-get-user")).isEmpty();
    secondary.down(false);
    await(() -> store.replication().orElseThrow().depth() == 0);
    assertThat(secondary.get("github-get-user")).isEmpty();
    assertThat(secondary.count(AbilityFilter.ALL)).isEqualTo(5);
  }

  @Test
  void get_afterAnUpdate_returnsTheNewVersionNotTheCachedOne() {
    AbilityStore store = open(secondary);
    Ability original = Abilities.simple("github-get-user", "github", false, DIMENSION);
    store.store(original);
    assertThat(store.get("github-get-user").orElseThrow().description()).isEqualTo(original.description());

    store.store(original.toBuilder().description("changed").build());

    assertThat(store.get("github-get-user").orElseThrow().description()).isEqualTo("changed");
  }

  @Test
  void get_primaryDown_readsPostgresCopy() {
    AbilityStore store = open(secondary);
    store.store(Abilities.catalogue(DIMENSION));
    primary.down(true);

    assertThat(store.get("stripe-list-prices")).isPresent();
  }

  @Test
  void query_whileWritesAreQueued_answersFromThePrimary() {
    AbilityStore store = open(secondary);
    secondary.down(true);
    store.store(Abilities.catalogue(DIMENSION));

    Page<Ability> page = store.query(AbilityQuery.firstPage(AbilityFilter.builder().service("stripe").build(), 10));

    assertThat(page.items()).extracting(Ability::abilityId)
        .containsExactly("stripe-create-customer", "stripe-list-prices");
  }

  @Test
  void search_primaryDown_answersTheSameTopTenFromPostgres() {
    AbilityStore store = open(secondary);
    List<Ability> abilities = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      abilities.add(Abilities.simple("ability-" + i, i % 3 == 0 ? "github" : "stripe", i % 2 == 0, DIMENSION));
    }
    store.store(abilities);
    SearchRequest request = SearchRequest.vector(Abilities.vector("query", DIMENSION))
        .withFilter(AbilityFilter.builder().service("github").build());
    SearchResult healthy = store.search(request);

    primary.down(true);
    SearchResult degraded = store.search(request);

    assertThat(healthy.degraded()).isFalse();
    assertThat(degraded.degraded()).isTrue();
    assertThat(degraded.hits()).extracting(hit -> hit.ability().abilityId())
        .containsExactlyElementsOf(healthy.hits().stream().map(hit -> hit.ability().abilityId()).toList());
    assertThat(degraded.hits()).extracting(SearchHit::score)
        .containsExactlyElementsOf(healthy.hits().stream().map(SearchHit::score).toList());
  }

  @Test
  void search_primaryDownWithoutPostgres_fails() {
    AbilityStore store = open(RecordStore.disabled());
    store.store(Abilities.catalogue(DIMENSION));
    primary.down(true);

    assertThatThrownBy(() -> store.search(SearchRequest.vector(Abilities.vector("q", DIMENSION))))
        .isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void build_postgresEmbeddingsOfAnotherModel_isRefusedNamingTheFix() {
    secondary.recordEmbedder(new EmbedderStamp("text-embedding-3-large", DIMENSION));

    assertThatThrownBy(() -> open(secondary))
        .isInstanceOf(EmbedderMismatchException.class)
        .hasMessageContaining("abilitystore reembed");
  }

  @Test
  void build_freshPostgres_recordsTheEmbedder() {
    open(secondary);

    assertThat(secondary.recordedEmbedder()).contains(EmbedderStamp.of(new HashingEmbedder(DIMENSION)));
  }

  @Test
  void build_postgresDown_startsAndQueues() {
    secondary.down(true);

    AbilityStore store = open(secondary);

    assertThat(store.store(Abilities.simple("a", "github", false, DIMENSION)).secondary())
        .isEqualTo(SecondaryState.QUEUED);
    assertThat(store.health().get("secondary").isUp()).isFalse();
  }

  @Test
  void stats_countsBothStoresAndTheQueue() {
    AbilityStore store = open(secondary);
    store.store(Abilities.catalogue(DIMENSION));

    StoreStats stats = store.stats();

    assertThat(stats.primaryCount()).isEqualTo(6);
    assertThat(stats.secondaryCount()).isEqualTo(6);
    assertThat(stats.replication()).isNotNull();
    assertThat(stats.replication().depth()).isZero();
  }

  @Test
  void store_secondaryWritesBesideThePrimary_andCommitsOnlyAfterItSucceeded() throws Exception {
    CountDownLatch secondaryStarted = new CountDownLatch(1);
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    AbilityStore store = openBeside(secondaryStarted, events);

    StoredAbility stored = store.store(Abilities.simple("github-get-user", "github", false, DIMENSION));

    assertThat(stored.secondary()).isEqualTo(SecondaryState.STORED);
    assertThat(events).containsExactly("secondary started", "primary wrote", "secondary committed");
    assertThat(secondary.get("github-get-user")).isPresent();
  }

  @Test
  void store_primaryFailsWhileTheSecondaryWritesBesideIt_secondaryCommitsNothing() throws Exception {
    CountDownLatch secondaryStarted = new CountDownLatch(1);
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    AbilityStore store = openBeside(secondaryStarted, events);
    primary.down(true);

    assertThatThrownBy(() -> store.store(Abilities.catalogue(DIMENSION))).isInstanceOf(StoreUnavailableException.class);

    assertThat(events).containsExactly("secondary started", "secondary rolled back");
    assertThat(secondary.count(AbilityFilter.ALL)).isZero();
    assertThat(store.replication().orElseThrow().depth()).isZero();
  }

  /**
   * A store whose primary writes only once the secondary's write has started (or 5 s have
   * passed), and whose secondary records when it commits.
   */
  private AbilityStore openBeside(CountDownLatch secondaryStarted, List<String> events) {
    VectorIndex waitingPrimary = (VectorIndex) Proxy.newProxyInstance(VectorIndex.class.getClassLoader(),
        new Class<?>[] {VectorIndex.class}, (proxy, method, arguments) -> {
          if (method.getName().equals("upsert") && !secondaryStarted.await(5, TimeUnit.SECONDS)) {
            events.add("the secondary did not start beside the primary");
          }
          try {
            Object result = method.invoke(primary, arguments);
            if (method.getName().equals("upsert")) {
              events.add("primary wrote");
            }
            return result;
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    RecordStore recording = (RecordStore) Proxy.newProxyInstance(RecordStore.class.getClassLoader(),
        new Class<?>[] {RecordStore.class}, (proxy, method, arguments) -> {
          if (method.getName().equals("upsertAfter")) {
            events.add("secondary started");
            secondaryStarted.countDown();
            PrimaryWrite primaryWrite = (PrimaryWrite) arguments[1];
            if (!primaryWrite.succeeded()) {
              events.add("secondary rolled back");
              return Optional.empty();
            }
            @SuppressWarnings("unchecked")
            UpsertReport report = secondary.upsert((List<Ability>) arguments[0]);
            events.add("secondary committed");
            return Optional.of(report);
          }
          try {
            return method.invoke(secondary, arguments);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    AbilityStore store = AbilityStore.builder()
        .primary(waitingPrimary)
        .secondary(recording)
        .embedder(new HashingEmbedder(DIMENSION))
        .dataDirectory(dataDirectory)
        .syncOnStart(false)
        .build();
    opened.add(store);
    return store;
  }

  private static RecordStore slowUpserts(RecordStore delegate, Duration delay) {
    return (RecordStore) Proxy.newProxyInstance(RecordStore.class.getClassLoader(), new Class<?>[] {RecordStore.class},
        (proxy, method, arguments) -> {
          // upsertAfter too: the store writes beside the primary through it.
          if (method.getName().startsWith("upsert")) {
            Thread.sleep(delay.toMillis());
          }
          try {
            return method.invoke(delegate, arguments);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void usage_countsSearchesHitsAndFetchesAndKeepsThemAcrossRestarts() {
    AbilityStore store = open(secondary);
    store.store(Abilities.catalogue(DIMENSION));
    store.search(SearchRequest.vector(Abilities.vector("github-get-user", DIMENSION)).withK(2));
    store.get("github-get-user");
    store.get("github-get-user");
    store.close();
    opened.remove(store);

    AbilityStore reopened = open(secondary);
    dev.abilitystore.usage.UsageReport usage = reopened.usage(3);

    assertThat(usage.searches()).isEqualTo(1);
    assertThat(usage.topAbilities().get(0).abilityId()).isEqualTo("github-get-user");
    assertThat(usage.topAbilities().get(0).hits()).isEqualTo(1);
    assertThat(usage.topAbilities().get(0).fetches()).isEqualTo(2);
    assertThat(usage.services().get(0).serviceName()).isEqualTo("github");
  }

  @Test
  void store_queueFull_failsBeforeThePrimaryIsWritten() {
    AbilityStore store = AbilityStore.builder()
        .primary(primary)
        .secondary(secondary)
        .embedder(new HashingEmbedder(DIMENSION))
        .dataDirectory(dataDirectory)
        .queueMaxBytes(64 * 1024)
        .syncOnStart(false)
        .build();
    opened.add(store);
    secondary.down(true);
    int stored = 0;
    Throwable refused = null;
    for (int i = 0; i < 200 && refused == null; i++) {
      Ability ability = Abilities.full("ability-" + i, DIMENSION);
      try {
        store.store(ability);
        stored++;
      } catch (dev.abilitystore.replication.ReplicationQueueFullException e) {
        refused = e;
        assertThat(primary.get(ability.abilityId())).as("a refused write is not in the primary").isEmpty();
      }
    }

    assertThat(refused).isNotNull().hasMessageContaining("ABILITYSTORE_QUEUE_MAX_BYTES");
    assertThat(primary.count()).isEqualTo(stored);
    assertThat(store.replication().orElseThrow().depth()).isEqualTo(stored);
  }

  @Test
  void build_emptyIndexBesidePopulatedPostgres_startUpSyncFillsTheIndexInsteadOfEmptyingPostgres() {
    secondary.upsert(Abilities.catalogue(DIMENSION));

    AbilityStore store = AbilityStore.builder()
        .primary(primary)
        .secondary(secondary)
        .embedder(new HashingEmbedder(DIMENSION))
        .dataDirectory(dataDirectory)
        .build();
    opened.add(store);

    await(() -> primary.count() == 6);
    assertThat(secondary.count(AbilityFilter.ALL)).isEqualTo(6);
  }

  @Test
  void search_modeThePrimaryCannotRankBy_isAnsweredByVectorAndSaysSo() {
    AbilityStore store = open(secondary);
    store.store(Abilities.catalogue(DIMENSION));

    SearchResult result = store.search(SearchRequest.text("github user"));

    assertThat(result.mode()).isEqualTo(dev.abilitystore.port.SearchMode.VECTOR);
    assertThat(result.hits()).isNotEmpty();
    assertThat(result.degraded()).isFalse();
  }
}
