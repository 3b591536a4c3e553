package dev.abilitystore.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.AbilityStore;
import dev.abilitystore.SecondaryState;
import dev.abilitystore.port.Health;
import dev.abilitystore.postgres.PostgresConfig;
import dev.abilitystore.postgres.testing.TestPostgres;
import dev.abilitystore.postgres.testing.ThrowawayCluster;
import dev.abilitystore.postgres.testing.ThrowawayCluster.StopMode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A real PostgreSQL server stopped and started again during an ingest, not a cut connection: a
 * {@link ThrowawayCluster} of this class's own, stopped once like a crash ({@code pg_ctl stop -m
 * immediate}) and once cleanly ({@code -m fast}), each time from another thread while writes are
 * in flight, and left down while more writes come. Every write is acknowledged, the queue drains
 * after each restart, both stores end holding exactly the acknowledged set, content-equal, and
 * both report healthy. With either primary.
 */
class PostgresRestartFaultTest extends DualStoreTest {
  private static final int ABILITIES = Reliability.scaled(3_000, 30_000);
  private static final int BATCH = 50;
  /** Acknowledged writes each outage lasts for at least, counted once the server has stopped. */
  private static final int WRITES_WHILE_DOWN = ABILITIES / 10;
  private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(Reliability.scaled(2, 10));

  private static @Nullable ThrowawayCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = ThrowawayCluster.create();
  }

  @AfterAll
  static void deleteCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Primary.class)
  void ingest_postgresStoppedImmediateThenFast_bothStoresEndWithExactlyTheAcknowledgedWrites(Primary primary) {
    ThrowawayCluster server = running();
    PostgresConfig postgres = freshDatabase(server, "restart_" + primary.name().toLowerCase(Locale.ROOT));
    long started = System.nanoTime();
    int outages = 0;
    int writesWhileDown = 0;
    Outage outage = null;
    try (AbilityStore store = DualStore.open(primary, dataDirectory, postgres, infraxa.url())) {
      AcknowledgedIngest ingest = new AcknowledgedIngest(store);
      for (int start = 0; ingest.count() < ABILITIES || outage != null; start += BATCH) {
        if (outage == null && outages == 0 && ingest.count() >= ABILITIES / 5) {
          outage = Outage.begin(server, StopMode.IMMEDIATE, ingest);
        } else if (outage == null && outages == 1 && ingest.count() >= ABILITIES * 3 / 5) {
          outage = Outage.begin(server, StopMode.FAST, ingest);
        } else if (outage != null && outage.lastedFor(WRITES_WHILE_DOWN, ingest)) {
          assertThat(store.health().get("secondary").status()).as("PostgreSQL's health while it is stopped")
              .isEqualTo(Health.Status.DOWN);
          server.start();
          writesWhileDown += ingest.count() - outage.acknowledgedAtStop();
          outage = null;
          outages++;
          DualStore.await("the backlog drains after restart " + outages, DRAIN_TIMEOUT,
              () -> store.replication().orElseThrow().depth() == 0);
        }
        ingest.store(AcknowledgedIngest.batch("ability", start, BATCH));
      }
      DualStore.await("both stores report healthy", DRAIN_TIMEOUT,
          () -> store.health().values().stream().allMatch(Health::isUp));
      DualStore.await("the replication queue drains", DRAIN_TIMEOUT,
          () -> store.replication().orElseThrow().depth() == 0);

      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("primary", primary.name().toLowerCase(Locale.ROOT));
      figures.put("abilitiesAcknowledged", ingest.count());
      figures.put("writesDirect", ingest.in(SecondaryState.STORED));
      figures.put("writesQueued", ingest.in(SecondaryState.QUEUED));
      figures.put("writesWhileDown", writesWhileDown);
      figures.put("outages", outages);
      figures.put("stopModes", "immediate, fast");
      int lost = ingest.lost(primary, infraxa, dataDirectory);
      figures.put("lost", lost);
      figures.put("seconds", (System.nanoTime() - started) / 1_000_000_000L);
      Reliability.report("PostgresRestartFaultTest-" + primary.name().toLowerCase(Locale.ROOT), figures);

      assertThat(outages).isEqualTo(2);
      // A batch in flight when a stop returned may still have been committed before the server went.
      assertThat(ingest.in(SecondaryState.QUEUED)).isGreaterThanOrEqualTo(2 * (WRITES_WHILE_DOWN - BATCH));
      ingest.assertBothStoresHoldExactlyTheAcknowledged(primary, infraxa, dataDirectory);
      assertThat(lost).as("acknowledged writes missing from a store").isZero();
    } finally {
      if (outage != null) {
        outage.stopped.exceptionally(failure -> 0).join();
      }
      if (!server.running()) {
        server.start();
      }
    }
  }

  private static ThrowawayCluster running() {
    ThrowawayCluster running = cluster;
    if (running == null) {
      throw new IllegalStateException("the throwaway cluster runs only while the test class does");
    }
    return running;
  }

  private static PostgresConfig freshDatabase(ThrowawayCluster server, String name) {
    TestPostgres.execute(server.config(), "CREATE DATABASE " + name);
    return server.config().toBuilder().database(name).maximumPoolSize(4).build();
  }

  /** One stop of the server, begun on a thread of its own while the ingest goes on. */
  private static final class Outage {
    private final CompletableFuture<Integer> stopped;

    private Outage(CompletableFuture<Integer> stopped) {
      this.stopped = stopped;
    }

    static Outage begin(ThrowawayCluster server, StopMode mode, AcknowledgedIngest ingest) {
      return new Outage(CompletableFuture.supplyAsync(() -> {
        server.stop(mode);
        return ingest.count();
      }, task -> Thread.ofVirtual().name("pg-ctl-stop").start(task)));
    }

    /** True once the server has stopped and {@code writes} more were acknowledged since. */
    boolean lastedFor(int writes, AcknowledgedIngest ingest) {
      return stopped.isDone() && ingest.count() - acknowledgedAtStop() >= writes;
    }

    /** How many writes had been acknowledged when the server had stopped. */
    int acknowledgedAtStop() {
      return stopped.join();
    }
  }
}
