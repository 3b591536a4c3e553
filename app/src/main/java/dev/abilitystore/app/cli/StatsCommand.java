package dev.abilitystore.app.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.StoreStats;
import dev.abilitystore.json.AbilityJson;
import dev.abilitystore.port.Health;
import dev.abilitystore.replication.Replicator;
import dev.abilitystore.sync.SyncReport;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
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
    try (AbilityStore store = openStore()) {
      StoreStats stats = store.stats();
      if (json) {
        JsonOutput.print(out(), json(stats));
      } else {
        print(out(), stats);
      }
      return ExitCodes.OK;
    }
  }

  private static void print(PrintStream out, StoreStats stats) {
    TextTable stores = new TextTable(100, "STORE", "STATUS", "ABILITIES", "DETAIL");
    stores.row("index (" + stats.primary() + ")", status(stats.primaryHealth()), count(stats.primaryCount()),
        stats.primaryHealth().detail());
    stores.row("PostgreSQL", status(stats.secondaryHealth()), count(stats.secondaryCount()),
        stats.secondaryHealth().detail());
    stores.print(out);
    Replicator.Status replication = stats.replication();
    if (replication != null) {
      out.printf("replication queue: %,d writes waiting%s%s%n", replication.depth(),
          replication.oldestAge().map(age -> ", oldest " + age(age)).orElse(""),
          replication.lastError() == null ? "" : "; last delivery failed: " + replication.lastError());
    }
    out.printf("embedder: %s%n", stats.embedder());
    SyncReport lastSync = stats.lastSync();
    if (lastSync != null) {
      out.printf("last sync: %s, %,d repaired%n", lastSync.direction().wireName(), lastSync.repaired());
    }
  }

  /** Returns the stats with the API's snake_case names. */
  static ObjectNode json(StoreStats stats) {
    ObjectNode node = JsonOutput.object();
    ObjectNode primary = node.putObject("primary");
    primary.put("name", stats.primary());
    primary.put("count", stats.primaryCount());
    primary.set("health", JsonOutput.health(stats.primaryHealth()));
    ObjectNode secondary = node.putObject("secondary");
    secondary.put("name", "postgresql");
    secondary.put("count", stats.secondaryCount());
    secondary.set("health", JsonOutput.health(stats.secondaryHealth()));
    Replicator.Status replication = stats.replication();
    if (replication == null) {
      node.putNull("replication");
    } else {
      ObjectNode queue = node.putObject("replication");
      queue.put("queue_depth", replication.depth());
      queue.put("oldest_age_ms", replication.oldestAge().map(Duration::toMillis).orElse(null));
      queue.put("consecutive_failures", replication.consecutiveFailures());
      queue.put("last_error", replication.lastError());
      queue.put("next_attempt",
          replication.nextAttempt() == null ? null : AbilityJson.formatTimestamp(replication.nextAttempt()));
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
    return node;
  }

  private static String status(Health health) {
    return health.status().name().toLowerCase(Locale.ROOT);
  }

  private static String count(@Nullable Long count) {
    return count == null ? "-" : String.format("%,d", count);
  }

  private static String age(Duration age) {
    if (age.toSeconds() < 1) {
      return age.toMillis() + " ms";
    }
    return age.toHours() > 0 ? age.toHours() + " h " + age.toMinutesPart() + " min"
        : age.toMinutes() > 0 ? age.toMinutes() + " min " + age.toSecondsPart() + " s" : age.toSeconds() + " s";
  }
}
