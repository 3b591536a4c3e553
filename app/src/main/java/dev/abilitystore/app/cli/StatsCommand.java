package dev.abilitystore.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.abilitystore.json.AbilityJson;
import dev.abilitystore.usage.AbilityUsage;
import dev.abilitystore.usage.ServiceUsage;
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
      long parked = replication.path("parked").asLong();
      if (parked > 0) {
        out.printf("refused by PostgreSQL: %,d writes set aside (fix the cause, then run `abilitystore sync`)%n",
            parked);
      }
    }
    JsonNode embedder = stats.path("embedder");
    out.printf("embedder: %s (%d dimensions)%n", embedder.path("model").asText("?"), embedder.path("dimension").asInt());
    JsonNode lastSync = stats.path("last_sync");
    if (lastSync.isObject()) {
      out.printf("last sync: %s, %,d repaired%n", lastSync.path("direction").asText("?"),
          lastSync.path("repaired").asLong());
    }
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
