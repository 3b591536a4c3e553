package dev.abilitystore.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.Ability;
import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.testing.Abilities;
import dev.abilitystore.testing.InMemoryRecordStore;
import dev.abilitystore.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicatorTest {
  @TempDir
  Path directory;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryRecordStore store = new InMemoryRecordStore(clock);
  private ScheduledExecutorService scheduler;
  private ReplicationQueue queue;
  private ParkedWrites parked;

  @BeforeEach
  void open() {
    scheduler = Executors.newSingleThreadScheduledExecutor();
    queue = ReplicationQueue.open(directory, 1L << 20, clock);
    parked = ParkedWrites.open(directory, clock);
  }

  @AfterEach
  void close() {
    scheduler.shutdownNow();
    queue.close();
    parked.close();
  }

  private Replicator replicator(Backoff backoff) {
    return new Replicator(queue, parked, store, scheduler, backoff, new SplittableRandom(1), clock, 3);
  }

  @Test
  void drainOnce_deliversInOrderAcrossUpsertsAndDeletes() {
    Ability a = Abilities.simple("a", "s", false, 4);
    Ability b = Abilities.simple("b", "s", false, 4);
    queue.append(List.of(QueuedWrite.upsert(a), QueuedWrite.delete("a"), QueuedWrite.upsert(b),
        QueuedWrite.upsert(a.toBuilder().description("again").build())));
    Replicator replicator = replicator(Backoff.DEFAULT);

    assertThat(replicator.drainOnce()).isEqualTo(4);
    assertThat(store.get("b")).isPresent();
    assertThat(store.get("a").orElseThrow().description()).isEqualTo("again");
    assertThat(queue.depth()).isZero();
    assertThat(replicator.status().delivered()).isEqualTo(4);
  }

  @Test
  void drainOnce_twoBatchesOfDifferentAbilities_deliversBothAndKeepsTheLastVersionOfEach() {
    List<QueuedWrite> writes = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      writes.add(QueuedWrite.upsert(Abilities.simple("id-" + i, "s", false, 4)));
    }
    queue.append(writes);
    queue.append(List.of(QueuedWrite.upsert(Abilities.simple("id-0", "s", false, 4).toBuilder()
        .description("second version").build())));
    Replicator replicator = replicator(Backoff.DEFAULT);

    assertThat(replicator.drainOnce()).isEqualTo(6);
    assertThat(replicator.drainOnce()).isEqualTo(1);

    assertThat(queue.depth()).isZero();
    assertThat(store.get("id-0").orElseThrow().description()).isEqualTo("second version");
    assertThat(store.count(dev.abilitystore.AbilityFilter.ALL)).isEqualTo(6);
  }

  @Test
  void drainOnce_writesRefusedForGood_areSetAsideAndTheRestDelivered() {
    queue.append(List.of(QueuedWrite.upsert(Abilities.simple("a", "s", false, 4)),
        QueuedWrite.upsert(Abilities.simple("b", "s", false, 4)), QueuedWrite.delete("c"),
        QueuedWrite.upsert(Abilities.simple("d", "s", false, 4))));
    store.refuse(id -> id.equals("b") || id.equals("c"));
    Replicator replicator = replicator(Backoff.DEFAULT);

    int acknowledged = replicator.drainOnce() + replicator.drainOnce();

    assertThat(acknowledged).isEqualTo(4);
    assertThat(queue.depth()).isZero();
    assertThat(store.get("a")).isPresent();
    assertThat(store.get("b")).isEmpty();
    assertThat(store.get("d")).isPresent();
    assertThat(parked.list()).extracting(ParkedWrites.Parked::abilityId, ParkedWrites.Parked::operation)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("b", QueuedWrite.Operation.UPSERT),
            org.assertj.core.groups.Tuple.tuple("c", QueuedWrite.Operation.DELETE));
    assertThat(replicator.status().parked()).isEqualTo(2);
    assertThat(replicator.status().delivered()).isEqualTo(2);
  }

  @Test
  void drainOnce_storeDownWhileSettingAside_acknowledgesNothingMore() {
    queue.append(List.of(QueuedWrite.upsert(Abilities.simple("a", "s", false, 4)),
        QueuedWrite.upsert(Abilities.simple("b", "s", false, 4))));
    store.refuse(id -> {
      store.down(true);
      return true;
    });

    assertThatThrownBy(() -> replicator(Backoff.DEFAULT).drainOnce()).isInstanceOf(StoreUnavailableException.class);

    assertThat(queue.depth()).isEqualTo(2);
    assertThat(parked.count()).isZero();
  }

  @Test
  void drainOnce_storeDown_acknowledgesNothing() {
    queue.append(List.of(QueuedWrite.upsert(Abilities.simple("a", "s", false, 4))));
    store.down(true);
    assertThatThrownBy(() -> replicator(Backoff.DEFAULT).drainOnce()).isInstanceOf(StoreUnavailableException.class);
    assertThat(queue.depth()).isOne();
  }

  @Test
  void status_reportsDepthAndOldestAge() {
    queue.append(List.of(QueuedWrite.delete("x")));
    clock.advance(Duration.ofMinutes(3));
    Replicator.Status status = replicator(Backoff.DEFAULT).status();
    assertThat(status.depth()).isOne();
    assertThat(status.oldestAge()).contains(Duration.ofMinutes(3));
  }

  @Test
  void background_retriesWithBackoffUntilTheStoreIsBack_thenDrainsEverything() throws Exception {
    store.down(true);
    for (int i = 0; i < 10; i++) {
      queue.append(List.of(QueuedWrite.upsert(Abilities.simple("a" + i, "s", false, 4))));
    }
    try (Replicator replicator = replicator(new Backoff(Duration.ofMillis(10), Duration.ofMillis(40)))) {
      replicator.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (replicator.status().consecutiveFailures() < 3 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(replicator.status().consecutiveFailures()).isGreaterThanOrEqualTo(3);
      assertThat(replicator.status().lastError()).contains("down");
      assertThat(queue.depth()).isEqualTo(10);

      store.down(false);
      while (queue.depth() > 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(queue.depth()).isZero();
      assertThat(store.count(dev.abilitystore.AbilityFilter.ALL)).isEqualTo(10);
      while (replicator.status().consecutiveFailures() > 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(replicator.status().consecutiveFailures()).isZero();
    }
  }

  @Test
  void backoff_growsExponentiallyWithJitterUpToTheCap() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
    SplittableRandom random = new SplittableRandom(7);
    for (int trial = 0; trial < 100; trial++) {
      assertThat(backoff.delay(1, random)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
      assertThat(backoff.delay(3, random)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
      assertThat(backoff.delay(30, random)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    }
  }
}
