package dev.abilitystore.app.cli;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.Page;
import dev.abilitystore.ServiceCount;
import dev.abilitystore.app.ImportReport;
import dev.abilitystore.app.ImportSource;
import dev.abilitystore.app.Importer;
import dev.abilitystore.app.Settings;
import dev.abilitystore.app.Wiring;
import dev.abilitystore.postgres.DatabaseBootstrap;
import dev.abilitystore.postgres.PostgresConfig;
import dev.abilitystore.postgres.PostgresRecordStore;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** The main job of a first run: a database, the sample catalogue in it, and a structured query over it. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Create the database if needed, migrate it, import the sample catalogue and query it.",
    footer = ExitCodes.FOOTER)
final class DemoCommand extends BaseCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    Settings settings = settings();
    PostgresConfig config = settings.requirePostgres(commandName());
    PrintStream out = out();
    boolean created = DatabaseBootstrap.createDatabaseIfMissing(config);
    try (PostgresRecordStore store = PostgresRecordStore.open(config.toBuilder().migrate(false).build())) {
      out.printf("PostgreSQL %s%s, schema version %s%n", config.location(), created ? " (database created)" : "",
          store.migrate().schemaVersion());
      Importer importer = new Importer(store, Wiring.preparer(settings), 100, err());
      ImportReport report = importer.run(List.of(ImportSource.sampleCatalogue()), false);
      out.printf("Imported the sample catalogue: %,d abilities (%,d new, %,d updated, %,d unchanged) in %,d ms%n%n",
          report.read(), report.inserted(), report.updated(), report.unchanged(), report.elapsed().toMillis());

      out.println("Abilities per service (abilitystore services):");
      TextTable services = new TextTable(40, "SERVICE", "TOTAL", "PUBLIC", "PRIVATE");
      for (ServiceCount count : store.serviceCounts()) {
        services.row(count.serviceName(), count.total(), count.publicCount(), count.privateCount());
      }
      services.print(out);

      out.println();
      out.println("Public abilities of GitHub (abilitystore query --service github --public):");
      Page<Ability> page = store.query(AbilityQuery.firstPage(
          AbilityFilter.builder().service("github").publicOnly().build(), 20));
      QueryCommand.table(page.items()).print(out);

      out.println();
      out.println("Abilities that mention \"weather\" (abilitystore query --contains weather):");
      QueryCommand.table(store.query(AbilityQuery.firstPage(
          AbilityFilter.builder().textContains("weather").build(), 20)).items()).print(out);
      out.println();
      out.println("Next: bin/abilitystore --help");
    }
    return ExitCodes.OK;
  }
}
