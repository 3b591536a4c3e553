package dev.abilitystore.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.json.AbilityJson;
import dev.abilitystore.sync.SyncDirection;
import dev.abilitystore.sync.SyncProgress;
import dev.abilitystore.sync.SyncReport;
import dev.abilitystore.app.ProgressThrottle;
import dev.abilitystore.server.JsonViews;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Reconciles the index and PostgreSQL. */
@Command(name = "sync", mixinStandardHelpOptions = true,
    description = {"Compare the index and PostgreSQL ability by ability, by content, and repair what differs: "
        + "missing, stale and extra entries. Queued writes are delivered first. Needs DATABASE_URL.",
        "primary-to-secondary (default) rebuilds PostgreSQL from the index; secondary-to-primary restores the index "
            + "from PostgreSQL with its stored embeddings; bidirectional keeps the newer copy (the index's on a tie) "
            + "and honours deletions."},
    footer = ExitCodes.FOOTER)
final class SyncCommand extends BaseCommand implements Callable<Integer> {
  /** Repairs listed in the text output; {@code --json} lists up to {@value SyncReport#MAX_LISTED_REPAIRS}. */
  private static final int REPAIRS_SHOWN = 20;

  @Option(names = "--direction", paramLabel = "DIRECTION", defaultValue = "primary-to-secondary",
      converter = DirectionConverter.class,
      description = "primary-to-secondary, secondary-to-primary or bidirectional (default ${DEFAULT-VALUE}).")
  SyncDirection direction;

  @Option(names = "--dry-run", description = "Report what would be repaired; change nothing.")
  boolean dryRun;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Override
  public Integer call() {
    String where = remote() == null
        ? "the index and PostgreSQL at " + settings().requirePostgres(commandName()).location() : null;
    try (Catalogue catalogue = openCatalogue()) {
      err().printf("syncing %s: %s%s%n", direction.wireName(), where != null ? where : catalogue.location(),
          dryRun ? " (dry run)" : "");
      SyncReport report = catalogue.sync(direction, dryRun, new ProgressLines(err()));
      if (json) {
        JsonOutput.print(out(), JsonViews.syncReport(report));
      } else {
        print(out(), report);
        long parked = catalogue.stats().path("replication").path("parked").asLong();
        if (parked > 0) {
          out().printf("  set aside: %,d writes PostgreSQL still refuses for good (the log says why); fix the cause "
              + "and sync again%n", parked);
        }
      }
      return ExitCodes.OK;
    }
  }

  static void print(PrintStream out, SyncReport report) {
    out.printf("sync %s%s in %,d ms%n", report.direction().wireName(), report.dryRun() ? " (dry run: nothing changed)"
        : "", report.durationMs());
    out.printf("  scanned:    %,d in the index, %,d in PostgreSQL%n", report.scannedPrimary(),
        report.scannedSecondary());
    out.printf("  missing:    %,d in the index, %,d in PostgreSQL%n", report.missingInPrimary(),
        report.missingInSecondary());
    out.printf("  stale:      %,d%n", report.stale());
    if (report.direction() == SyncDirection.BIDIRECTIONAL) {
      out.printf("  deletions honoured: %,d%n", report.deletionsHonoured());
    }
    out.printf("  %s %,d%n", report.dryRun() ? "to repair: " : "repaired:  ", report.repaired());
    List<SyncReport.Repair> repairs = report.repairs();
    if (!repairs.isEmpty()) {
      out.println(report.dryRun() ? "Repairs it would make:" : "Repairs:");
      TextTable table = new TextTable(80, "ACTION", "ABILITY_ID");
      repairs.stream().limit(REPAIRS_SHOWN).forEach(repair -> table.row(repair.action().wireName(),
          repair.abilityId()));
      table.print(out);
      long more = report.repaired() - Math.min(REPAIRS_SHOWN, repairs.size());
      if (more > 0) {
        out.printf("... and %,d more (--json lists up to %,d)%n", more, SyncReport.MAX_LISTED_REPAIRS);
      }
    }
  }

  /**
   * Reads a report that {@link #json} (or the API) wrote.
   *
   * @throws InvalidInputException if the direction or a repair's action is unknown
   */
  static SyncReport report(JsonNode node) {
    List<SyncReport.Repair> repairs = new ArrayList<>();
    for (JsonNode repair : node.path("repairs")) {
      String action = repair.path("action").asText();
      SyncReport.Action parsed = Arrays.stream(SyncReport.Action.values())
          .filter(candidate -> candidate.wireName().equals(action)).findFirst()
          .orElseThrow(() -> new InvalidInputException("unknown sync repair action '" + action + "'"));
      repairs.add(new SyncReport.Repair(repair.path("ability_id").asText(), parsed));
    }
    String startedAt = node.path("started_at").asText("");
    return new SyncReport(SyncDirection.parse(node.path("direction").asText("")), node.path("dry_run").asBoolean(),
        startedAt.isEmpty() ? Instant.EPOCH : AbilityJson.parseTimestamp(startedAt), node.path("duration_ms").asLong(),
        node.path("scanned_primary").asLong(), node.path("scanned_secondary").asLong(),
        node.path("missing_in_primary").asLong(), node.path("missing_in_secondary").asLong(),
        node.path("stale").asLong(), node.path("deletions_honoured").asLong(), node.path("repaired").asLong(),
        repairs, node.path("repairs_truncated").asBoolean());
  }

  /** Prints the counts at most once a second, on standard error. */
  private static final class ProgressLines implements SyncProgress {
    private final PrintStream err;
    private final ProgressThrottle throttle = new ProgressThrottle();

    ProgressLines(PrintStream err) {
      this.err = err;
    }

    @Override
    public void update(Counts counts) {
      if (!throttle.due(false)) {
        return;
      }
      err.printf("syncing: compared %,d in the index and %,d in PostgreSQL; missing %,d in the index, %,d in "
          + "PostgreSQL; %,d stale; %,d repaired%n", counts.scannedPrimary(), counts.scannedSecondary(),
          counts.missingInPrimary(), counts.missingInSecondary(), counts.stale(), counts.repaired());
    }
  }

  /** Reads a direction by its wire name, as {@link SyncDirection#parse} does. */
  static final class DirectionConverter implements ITypeConverter<SyncDirection> {
    @Override
    public SyncDirection convert(String value) {
      try {
        return SyncDirection.parse(value);
      } catch (InvalidInputException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
