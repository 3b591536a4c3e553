package dev.abilitystore.app.cli;

import dev.abilitystore.ServiceCount;
import dev.abilitystore.json.AbilityJson;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Counts abilities per service. */
@Command(name = "services", mixinStandardHelpOptions = true,
    description = "Count abilities per service: total, public, private.", footer = ExitCodes.FOOTER)
final class ServicesCommand extends BaseCommand implements Callable<Integer> {
  @Option(names = "--json", description = "Print JSON Lines instead of a table.")
  boolean json;

  @Override
  public Integer call() {
    try (Catalogue catalogue = openCatalogue()) {
      List<ServiceCount> counts = catalogue.serviceCounts();
      if (json) {
        for (ServiceCount count : counts) {
          out().println(AbilityJson.valueJson(Map.of("service_name", count.serviceName(), "total", count.total(),
              "public", count.publicCount(), "private", count.privateCount())));
        }
      } else {
        table(counts).print(out());
      }
      return ExitCodes.OK;
    }
  }

  static TextTable table(List<ServiceCount> counts) {
    TextTable table = new TextTable(60, "SERVICE", "TOTAL", "PUBLIC", "PRIVATE");
    counts.forEach(count -> table.row(count.serviceName(), count.total(), count.publicCount(), count.privateCount()));
    return table;
  }
}
