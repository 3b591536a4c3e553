package dev.abilitystore.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.abilitystore.SearchResult;
import dev.abilitystore.ServiceCount;
import dev.abilitystore.StoreResult;
import dev.abilitystore.StoreStats;
import dev.abilitystore.StoredAbility;
import dev.abilitystore.json.AbilityJson;
import dev.abilitystore.port.EmbedderStamp;
import dev.abilitystore.port.Health;
import dev.abilitystore.port.SearchHit;
import dev.abilitystore.replication.Replicator;
import dev.abilitystore.sync.SyncReport;
import dev.abilitystore.usage.AbilityUsage;
import dev.abilitystore.usage.ServiceUsage;
import dev.abilitystore.usage.UsageReport;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The API's JSON for the store's answers, with the original system's snake_case names; the
 * command line prints the same documents, so that scripts read its {@code --json} output and the
 * API's answers alike. Stateless.
 */
public final class JsonViews {
  /** The name of the secondary store in every answer. */
  static final String SECONDARY_NAME = "postgresql";

  private JsonViews() {}

  static ObjectNode storeResult(StoreResult result) {
    ObjectNode json = ApiJson.object();
    json.put("stored", result.stored());
    ArrayNode results = json.putArray("results");
    for (StoredAbility stored : result.results()) {
      results.addObject()
          .put("ability_id", stored.abilityId())
          .put("vector_id", stored.vectorId())
          .put("primary", stored.primary().name().toLowerCase(Locale.ROOT))
          .put("secondary", stored.secondary().wireName());
    }
    json.put("took_ms", result.tookMs());
    return json;
  }

  /** The answer of {@code POST /v1/search}. */
  public static ObjectNode searchResult(SearchResult result) {
    ObjectNode json = ApiJson.object();
    ArrayNode results = json.putArray("results");
    for (SearchHit hit : result.hits()) {
      ObjectNode entry = results.addObject();
      entry.putRawValue("ability", ApiJson.ability(hit.ability(), false));
      entry.put("score", hit.score());
    }
    json.put("count", result.hits().size());
    json.put("degraded", result.degraded());
    json.put("mode", result.mode().name().toLowerCase(Locale.ROOT));
    json.put("took_ms", result.tookMs());
    return json;
  }

  static ObjectNode serviceCount(ServiceCount count) {
    return ApiJson.object()
        .put("service_name", count.serviceName())
        .put("total", count.total())
        .put("public", count.publicCount())
        .put("private", count.privateCount());
  }

  /** The answer of {@code POST /v1/sync}. */
  public static ObjectNode syncReport(SyncReport report) {
    ObjectNode json = ApiJson.object();
    json.put("direction", report.direction().wireName());
    json.put("dry_run", report.dryRun());
    json.put("started_at", AbilityJson.formatTimestamp(report.startedAt()));
    json.put("duration_ms", report.durationMs());
    json.put("scanned_primary", report.scannedPrimary());
    json.put("scanned_secondary", report.scannedSecondary());
    json.put("missing_in_primary", report.missingInPrimary());
    json.put("missing_in_secondary", report.missingInSecondary());
    json.put("stale", report.stale());
    json.put("deletions_honoured", report.deletionsHonoured());
    json.put("repaired", report.repaired());
    ArrayNode repairs = json.putArray("repairs");
    for (SyncReport.Repair repair : report.repairs()) {
      repairs.addObject().put("ability_id", repair.abilityId()).put("action", repair.action().wireName());
    }
    json.put("repairs_truncated", report.repairsTruncated());
    return json;
  }

  /**
   * Returns a store's health as {@code {"status": "up", "detail": "..."}}; the detail (which names
   * hosts and versions) only when {@code withDetail}.
   */
  static ObjectNode health(Health health, boolean withDetail) {
    ObjectNode json = ApiJson.object().put("status", status(health));
    if (withDetail) {
      json.put("detail", health.detail());
    }
    return json;
  }

  /** Returns the replication queue's state; its last error only when {@code withDetail}. */
  static ObjectNode replication(Replicator.Status status, boolean withDetail) {
    ObjectNode json = ApiJson.object();
    json.put("depth", status.depth());
    putNullable(json, "oldest_age_ms", status.oldestAge().map(age -> age.toMillis()).orElse(null));
    json.put("consecutive_failures", status.consecutiveFailures());
    if (withDetail) {
      json.put("last_error", status.lastError());
    }
    json.put("delivered", status.delivered());
    json.put("parked", status.parked());
    return json;
  }

  /** The answer of {@code GET /v1/stats}. */
  public static ObjectNode stats(StoreStats stats, long tookMs) {
    ObjectNode json = ApiJson.object();
    ObjectNode primary = json.putObject("primary").put("name", stats.primary());
    putNullable(primary, "count", stats.primaryCount());
    primary.setAll(health(stats.primaryHealth(), true));
    ObjectNode secondary = json.putObject("secondary").put("name", SECONDARY_NAME);
    putNullable(secondary, "count", stats.secondaryCount());
    secondary.setAll(health(stats.secondaryHealth(), true));
    Replicator.Status replication = stats.replication();
    if (replication == null) {
      json.putNull("replication");
    } else {
      json.set("replication", replication(replication, true));
    }
    SyncReport lastSync = stats.lastSync();
    if (lastSync == null) {
      json.putNull("last_sync");
    } else {
      json.set("last_sync", syncReport(lastSync));
    }
    EmbedderStamp embedder = stats.embedder();
    json.putObject("embedder").put("model", embedder.model()).put("dimension", embedder.dimension());
    UsageReport usage = stats.usage();
    if (usage == null) {
      json.putNull("usage");
    } else {
      json.set("usage", usage(usage));
    }
    json.put("took_ms", tookMs);
    return json;
  }

  static ObjectNode usage(UsageReport usage) {
    ObjectNode json = ApiJson.object();
    json.put("searches", usage.searches());
    ArrayNode top = json.putArray("top_abilities");
    for (AbilityUsage ability : usage.topAbilities()) {
      ObjectNode entry = top.addObject()
          .put("ability_id", ability.abilityId())
          .put("service_name", ability.serviceName())
          .put("hits", ability.hits())
          .put("fetches", ability.fetches());
      Instant lastUsed = ability.lastUsedAt();
      entry.put("last_used_at", lastUsed == null ? null : AbilityJson.formatTimestamp(lastUsed));
    }
    ArrayNode services = json.putArray("services");
    for (ServiceUsage service : usage.services()) {
      services.addObject()
          .put("service_name", service.serviceName())
          .put("hits", service.hits())
          .put("fetches", service.fetches());
    }
    return json;
  }

  /** Returns {@code up}, {@code down} or {@code disabled}. */
  static String status(Health health) {
    return health.status().name().toLowerCase(Locale.ROOT);
  }

  private static void putNullable(ObjectNode json, String field, @Nullable Long value) {
    if (value == null) {
      json.putNull(field);
    } else {
      json.put(field, value.longValue());
    }
  }
}
