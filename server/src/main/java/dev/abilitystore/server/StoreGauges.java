package dev.abilitystore.server;

import dev.abilitystore.AbilityStore;
import dev.abilitystore.StoreStats;
import dev.abilitystore.port.Health;
import dev.abilitystore.replication.Replicator;
import dev.abilitystore.sync.SyncReport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Gauges of the store: abilities and health per store, the replication queue's depth and oldest
 * age, and the last sync's repairs and duration. One scrape reads {@link AbilityStore#stats()}
 * once (it counts both stores), however many gauges it reports; an unknown value is NaN.
 * Thread-safe.
 */
final class StoreGauges implements MeterBinder {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(StoreGauges.class);

  /** A scrape reads every gauge in turn; they share one snapshot up to this old. */
  private static final long SNAPSHOT_MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final AbilityStore store;
  // Not synchronized: the stats read PostgreSQL, and a virtual thread blocked in a monitor pins its carrier.
  private final ReentrantLock lock = new ReentrantLock();
  private @Nullable StoreStats snapshot;
  private long snapshotNanos;

  StoreGauges(AbilityStore store) {
    this.store = store;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    gauge(registry, "abilitystore.abilities", "primary", "abilities in each store",
        stats -> count(stats.primaryCount()));
    gauge(registry, "abilitystore.store.up", "primary", "1 when the store can serve, 0 when it cannot",
        stats -> up(stats.primaryHealth()));
    for (String name : store.primary().gauges().keySet()) {
      Gauge.builder("abilitystore.primary." + name.replace('_', '.'), store.primary(),
              primary -> primary.gauges().getOrDefault(name, Double.NaN))
          .tag("index", store.primary().name())
          .description("the primary index's own " + name.replace('_', ' '))
          .register(registry);
    }
    if (!store.secondary().enabled()) {
      return;
    }
    gauge(registry, "abilitystore.abilities", "secondary", "abilities in each store",
        stats -> count(stats.secondaryCount()));
    gauge(registry, "abilitystore.store.up", "secondary", "1 when the store can serve, 0 when it cannot",
        stats -> up(stats.secondaryHealth()));
    Gauge.builder("abilitystore.replication.queue.depth", this, gauges -> gauges.value(stats -> {
      Replicator.Status replication = stats.replication();
      return replication == null ? Double.NaN : replication.depth();
    })).description("writes waiting in the replication queue for PostgreSQL").register(registry);
    Gauge.builder("abilitystore.replication.parked", this, gauges -> gauges.value(stats -> {
      Replicator.Status replication = stats.replication();
      return replication == null ? Double.NaN : replication.parked();
    })).description("abilities whose write PostgreSQL refused for good, set aside until fixed and synced")
        .register(registry);
    TimeGauge.builder("abilitystore.replication.queue.oldest.age", this, TimeUnit.MILLISECONDS,
        gauges -> gauges.value(stats -> {
          Replicator.Status replication = stats.replication();
          return replication == null ? Double.NaN
              : replication.oldestAge().map(age -> (double) age.toMillis()).orElse(0.0);
        })).description("age of the oldest write waiting in the replication queue").register(registry);
    Gauge.builder("abilitystore.sync.last.repaired", this, gauges -> gauges.value(stats -> {
      SyncReport report = stats.lastSync();
      return report == null ? Double.NaN : report.repaired();
    })).description("abilities the last sync repaired (would have, in a dry run)").register(registry);
    TimeGauge.builder("abilitystore.sync.last.duration", this, TimeUnit.MILLISECONDS,
        gauges -> gauges.value(stats -> {
          SyncReport report = stats.lastSync();
          return report == null ? Double.NaN : report.durationMs();
        })).description("how long the last sync took").register(registry);
  }

  private void gauge(MeterRegistry registry, String name, String storeTag, String description,
      ToDoubleFunction<StoreStats> reading) {
    Gauge.builder(name, this, gauges -> gauges.value(reading)).tag("store", storeTag).description(description)
        .register(registry);
  }

  private double value(ToDoubleFunction<StoreStats> reading) {
    StoreStats stats = stats();
    return stats == null ? Double.NaN : reading.applyAsDouble(stats);
  }

  private @Nullable StoreStats stats() {
    lock.lock();
    try {
      long now = System.nanoTime();
      if (snapshot == null || now - snapshotNanos > SNAPSHOT_MAX_AGE_NANOS) {
        snapshot = store.stats();
        snapshotNanos = now;
      }
      return snapshot;
    } catch (RuntimeException e) {
      log.warn("[HTTP] Metrics could not read the store's stats: {}", e.toString());
      return snapshot;
    } finally {
      lock.unlock();
    }
  }

  private static double count(@Nullable Long count) {
    return count == null ? Double.NaN : count;
  }

  private static double up(Health health) {
    return health.isUp() ? 1 : 0;
  }
}
