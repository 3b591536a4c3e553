package dev.abilitystore.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.port.Health;
import dev.abilitystore.replication.Replicator;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The endpoints that stay open whatever the authentication: {@code /health} (the process
 * answers), {@code /ready} (the stores can serve), {@code /metrics} and {@code /openapi.json}.
 * Thread-safe.
 */
final class ProbeEndpoints {
  static final String OPENAPI_RESOURCE = "openapi.json";

  private final AbilityStore store;
  private final ServerMetrics metrics;
  private final boolean revealDetails;
  private final byte[] openApi;

  /**
   * @param revealDetails whether {@code /ready} shows what each store said (hosts, versions,
   *     errors); an open server does, one that asks for keys keeps that to {@code /v1/stats}
   */
  ProbeEndpoints(AbilityStore store, ServerMetrics metrics, boolean revealDetails) {
    this.store = store;
    this.metrics = metrics;
    this.revealDetails = revealDetails;
    this.openApi = readOpenApi();
  }

  /** {@code GET /health}: 200 while the process can answer at all. */
  void health(Context ctx) {
    ApiJson.send(ctx, 200, ApiJson.object().put("status", "up"));
  }

  /** {@code GET /ready}: 200 when the primary and, if configured, PostgreSQL can serve; 503 otherwise. */
  void ready(Context ctx) {
    Map<String, Health> health = store.health();
    Health primary = health.get("primary");
    Health secondary = health.get("secondary");
    boolean ready = primary.isUp() && (secondary.isUp() || secondary.status() == Health.Status.DISABLED);
    ObjectNode json = ApiJson.object().put("status", ready ? "up" : "down");
    json.putObject("primary").put("name", store.primary().name()).setAll(JsonViews.health(primary, revealDetails));
    json.putObject("secondary").put("name", JsonViews.SECONDARY_NAME)
        .setAll(JsonViews.health(secondary, revealDetails));
    Optional<Replicator.Status> replication = store.replication();
    if (replication.isPresent()) {
      json.set("replication", JsonViews.replication(replication.get(), revealDetails));
    } else {
      json.putNull("replication");
    }
    ApiJson.send(ctx, ready ? 200 : 503, json);
  }

  /** {@code GET /metrics}: Prometheus's text format. */
  void metrics(Context ctx) {
    ctx.status(200).contentType(ServerMetrics.CONTENT_TYPE).result(metrics.scrape());
  }

  /** {@code GET /openapi.json}: the API's OpenAPI 3.1 document. */
  void openApi(Context ctx) {
    ctx.status(200).contentType(ApiJson.MEDIA_TYPE).result(openApi);
  }

  private static byte[] readOpenApi() {
    try (InputStream in = ProbeEndpoints.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the class path beside "
            + ProbeEndpoints.class.getName());
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + OPENAPI_RESOURCE, e);
    }
  }
}
