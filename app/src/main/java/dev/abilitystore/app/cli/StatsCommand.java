package dev.abilitystore.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.abilitystore.StoreStats;
import dev.abilitystore.json.AbilityJson;
import dev.abilitystore.replication.Replicator;
import dev.abilitystore.sync.SyncReport;
import dev.abilitystore.usage.AbilityUsage;
import dev.abilitystore.usage.ServiceUsage;
import dev.abilitystore.usage.UsageReport;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** What the stores hold and how they are. */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = "Show abilities per store, each store's health, the replication queue and the embedder.",
    footer = ExitCodes.FOOTER)
final class StatsCommand extends BaseCommand implements Callable<Integer> {
  @Option(names = "--json", description = "Print JSON instead of text.")
  boolean json;

  @Override
  public Integer call() {
    try (Catalogue catalogue = openCatalogue()) {
      ObjectNode stats = catalogue.stats();
      if (json) {
        JsonOutput.print(out(), stats);
      } else {
        print(out(), stats);
      }
      return ExitCodes.OK;
    }
  }

  /** Prints the stats document, as {@link #json} or the API makes it, for people. */
  static void print(PrintStream out, JsonNode stats) {
    TextTable stores = new TextTable(100, "STORE", "STATUS", "ABILITIES", "DETAIL");
    JsonNode primary = stats.path("primary");
    JsonNode secondary = stats.path("secondary");
    stores.row("index (" + primary.path("name").asText("?") + ")", primary.path("status").asText("?"),
        count(primary.path("count")), primary.path("detail").asText(""));
    stores.row("PostgreSQL", secondary.path("status").asText("?"), count(secondary.path("count")),
        secondary.path("detail").asText(""));
    stores.print(out);
    JsonNode replication = stats.path("replication");
    if (replication.isObject()) {
      JsonNode oldest = replication.path("oldest_age_ms");
      JsonNode lastError = replication.path("last_error");
      out.printf("replication queue: %,d writes waiting%s%s%n", replication.path("depth").asLong(),
          oldest.isNumber() ? ", oldest " + age(Duration.ofMillis(oldest.asLong())) : "",
          lastError.isTextual() ? "; last delivery failed: " + lastError.asText() : "");
    }
    JsonNode embedder = stats.path("embedder");
    out.printf("embedder: %s (%d dimensions)%n", embedder.path("model").asText("?"), embedder.path("dimension").asInt());
    JsonNode lastSync = stats.path("last_sync");
    if (lastSync.isObject()) {
      out.printf("last sync: %s, %,d repaired%n", lastSync.path("direction").asText("?"),
          lastSync.path("repaired").asLong());
    }
  }

  /** Returns the stats as {@code GET /v1/stats} answers them, so that scripts read either alike. */
  static ObjectNode json(StoreStats stats) {
    ObjectNode node = JsonOutput.object();
    ObjectNode primary = node.putObject("primary");
    primary.put("name", stats.primary());
    primary.put("count", stats.primaryCount());
    primary.setAll(JsonOutput.health(stats.primaryHealth()));
    ObjectNode secondary = node.putObject("secondary");
    secondary.put("name", "postgresql");
    secondary.put("count", stats.secondaryCount());
    secondary.setAll(JsonOutput.health(stats.secondaryHealth()));
    Replicator.Status replication = stats.replication();
    if (replication == null) {
      node.putNull("replication");
    } else {
      ObjectNode queue = node.putObject("replication");
      queue.put("depth", replication.depth());
      queue.put("oldest_age_ms", replication.oldestAge().map(Duration::toMillis).orElse(null));
      queue.put("consecutive_failures", replication.consecutiveFailures());
      queue.put("last_error", replication.lastError());
      queue.put("delivered", replication.delivered());
    }
    SyncReport lastSync = stats.lastSync();
    if (lastSync == null) {
      node.putNull("last_sync");
    } else {
      node.set("last_sync", SyncCommand.json(lastSync));
    }
    ObjectNode embedder = node.putObject("embedder");
    embedder.put("model", stats.embedder().model());
    embedder.put("dimension", stats.embedder().dimension());
    UsageReport usage = stats.usage();
    if (usage == null) {
      node.putNull("usage");
    } else {
      ObjectNode counts = node.putObject("usage");
      counts.put("searches", usage.searches());
      ArrayNode top = counts.putArray("top_abilities");
      for (AbilityUsage ability : usage.topAbilities()) {
        top.addObject().put("ability_id", ability.abilityId()).put("service_name", ability.serviceName())
            .put("hits", ability.hits()).put("fetches", ability.fetches())
            .put("last_used_at", ability.lastUsedAt() == null ? null : AbilityJson.formatTimestamp(ability.lastUsedAt()));
      }
      ArrayNode services = counts.putArray("services");
      for (ServiceUsage service : usage.services()) {
        services.addObject().put("service_name", service.serviceName()).put("hits", service.hits())
            .put("fetches", service.fetches());
      }
    }
    return node;
  }

  private static String count(JsonNode count) {
    return count.isNumber() ? String.format("%,d", count.asLong()) : "-";
  }

  private static String age(Duration age) {
    if (age.toSeconds() < 1) {
      return age.toMillis() + " ms";
    }
    return age.toHours() > 0 ? age.toHours() + " h " + age.toMinutesPart() + " min"
        : age.toMinutes() > 0 ? age.toMinutes() + " min " + age.toSecondsPart() + " s" : age.toSeconds() + " s";
  }
}
