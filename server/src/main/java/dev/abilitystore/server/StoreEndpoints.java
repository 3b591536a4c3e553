package dev.abilitystore.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.ServiceCount;
import dev.abilitystore.sync.SyncDirection;
import dev.abilitystore.sync.SyncProgress;
import dev.abilitystore.sync.SyncReport;
import io.javalin.http.Context;
import java.util.Set;

/** {@code /v1/services}, {@code /v1/stats} and {@code /v1/sync}: the catalogue as a whole. Thread-safe. */
final class StoreEndpoints {
  private static final Set<String> SYNC_FIELDS = Set.of("direction", "dry_run");

  private final AbilityStore store;
  private final RequestBody body;

  StoreEndpoints(AbilityStore store, RequestBody body) {
    this.store = store;
    this.body = body;
  }

  /** {@code GET /v1/services}: abilities per service, total, public and private. */
  void services(Context ctx) {
    long started = System.nanoTime();
    new QueryParameters(ctx, Set.of()).throwIfInvalid();
    ObjectNode json = ApiJson.object();
    ArrayNode services = json.putArray("services");
    for (ServiceCount count : store.serviceCounts()) {
      services.add(JsonViews.serviceCount(count));
    }
    json.put("took_ms", Elapsed.millisSince(started));
    ApiJson.send(ctx, 200, json);
  }

  /** {@code GET /v1/stats}: counts and health per store, the replication queue, the last sync, usage. */
  void stats(Context ctx) {
    long started = System.nanoTime();
    new QueryParameters(ctx, Set.of()).throwIfInvalid();
    ApiJson.send(ctx, 200, JsonViews.stats(store.stats(), Elapsed.millisSince(started)));
  }

  /**
   * {@code POST /v1/sync}: reconciles the stores and answers the report when done; the body, all
   * optional, is {@code {"direction": "primary-to-secondary", "dry_run": false}}.
   */
  void sync(Context ctx) {
    long started = System.nanoTime();
    JsonFields fields = new JsonFields(body.object(ctx, true), SYNC_FIELDS);
    String directionName = fields.text("direction");
    SyncDirection direction = SyncDirection.DEFAULT;
    if (directionName != null) {
      try {
        direction = SyncDirection.parse(directionName);
      } catch (InvalidInputException e) {
        fields.reject("direction", e.getMessage());
      }
    }
    Boolean dryRun = fields.bool("dry_run");
    fields.throwIfInvalid();
    if (!store.secondary().enabled()) {
      throw new ProblemException(new Problem(400, "sync-needs-postgresql", "Sync needs PostgreSQL",
          "sync compares the index with PostgreSQL, and this server has none: set DATABASE_URL"));
    }
    SyncReport report = store.sync(direction, Boolean.TRUE.equals(dryRun), SyncProgress.NONE);
    ObjectNode json = JsonViews.syncReport(report);
    json.put("took_ms", Elapsed.millisSince(started));
    ApiJson.send(ctx, 200, json);
  }
}
