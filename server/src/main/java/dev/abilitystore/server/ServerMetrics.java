package dev.abilitystore.server;

import dev.abilitystore.AbilityStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * The server's metrics, in Prometheus's text format: a latency histogram of requests per route
 * template, method and status ({@code http_server_requests_seconds}), the store's gauges (see
 * {@link StoreGauges}), degraded searches, and the JVM's memory, threads, GC and CPU. One
 * registry per server. Thread-safe.
 */
final class ServerMetrics implements AutoCloseable {
  /** The media type of Prometheus's text exposition format. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Counter degradedSearches;
  /** Held here: a gauge keeps only a weak reference to the object it reads, and would read NaN once it is collected. */
  private final StoreGauges storeGauges;

  ServerMetrics(AbilityStore store) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc.bindTo(registry);
    storeGauges = new StoreGauges(store);
    storeGauges.bindTo(registry);
    degradedSearches = Counter.builder("abilitystore.search.degraded")
        .description("searches answered from PostgreSQL's embeddings because the index could not answer")
        .register(registry);
  }

  /** Records one answered request; {@code route} is its template, such as {@code /v1/abilities/{ability_id}}. */
  void recordRequest(String method, String route, int status, Duration elapsed) {
    Timer.builder("http.server.requests")
        .description("HTTP requests by method, route template and status")
        .tags("method", method, "route", route, "status", Integer.toString(status))
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(1))
        .register(registry)
        .record(elapsed);
  }

  /** Counts a search answered in degraded mode. */
  void searchDegraded() {
    degradedSearches.increment();
  }

  /** Returns every metric in Prometheus's text format. */
  String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
