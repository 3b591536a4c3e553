package dev.abilitystore.app.cli;

import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.SearchRequest;
import dev.abilitystore.SearchResult;
import dev.abilitystore.app.ImportReport;
import dev.abilitystore.app.ImportSource;
import dev.abilitystore.app.Importer;
import dev.abilitystore.port.Health;
import dev.abilitystore.port.SearchMode;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * The main job of a first run, on whatever is configured (the embedded defaults when nothing
 * is): the sample catalogue imported, then counted, queried and searched.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Import the sample catalogue, then count, query and search it. Works with no configuration "
        + "(the Lucene index under ./data and the bundled model); with DATABASE_URL, PostgreSQL gets a copy (its "
        + "database is created and migrated if needed)."},
    footer = ExitCodes.FOOTER)
final class DemoCommand extends BaseCommand implements Callable<Integer> {
  static final String MEANING_QUERY = "get a GitHub user's profile";

  @Override
  public Integer call() {
    refuseUrl();
    PrintStream out = out();
    try (AbilityStore store = openStore()) {
      Health index = store.primary().health();
      out.printf("Index (%s): %s; embedder %s%n", store.primary().name(), index.detail(), store.stats().embedder());
      if (store.secondary().enabled()) {
        Health postgres = store.secondary().health();
        out.printf("PostgreSQL: %s (%s)%n", postgres.status().name().toLowerCase(Locale.ROOT), postgres.detail());
      } else {
        out.println("PostgreSQL: not configured (set DATABASE_URL to keep a copy there)");
      }
      ImportReport report = new Importer(store, 100, err()).run(List.of(ImportSource.sampleCatalogue()), false);
      out.printf("Imported the sample catalogue: %,d abilities (%,d new, %,d updated, %,d unchanged) in %,d ms; %s%n%n",
          report.read(), report.inserted(), report.updated(), report.unchanged(), report.elapsed().toMillis(),
          ImportCommand.postgres(store.secondary().enabled(), report));

      out.println("Abilities per service (abilitystore services):");
      ServicesCommand.table(store.serviceCounts()).print(out);

      out.println();
      out.println("Public abilities of GitHub (abilitystore query --service github --public):");
      QueryCommand.table(store.query(AbilityQuery.firstPage(
          AbilityFilter.builder().service("github").publicOnly().build(), 20)).items()).print(out);

      out.println();
      out.println("Abilities that mention \"weather\" (abilitystore query --contains weather):");
      QueryCommand.table(store.query(AbilityQuery.firstPage(
          AbilityFilter.builder().textContains("weather").build(), 20)).items()).print(out);

      out.println();
      out.printf("By meaning: \"%s\" (abilitystore search \"%s\" -k 3 --mode vector):%n", MEANING_QUERY,
          MEANING_QUERY);
      SearchResult result = store.search(new SearchRequest(MEANING_QUERY, null, 3, SearchMode.VECTOR,
          AbilityFilter.ALL));
      SearchCommand.table(result.hits()).print(out);
      if (result.degraded()) {
        out.println("(degraded: answered from PostgreSQL)");
      }
      out.println();
      out.println("Next: bin/abilitystore --help");
    }
    return ExitCodes.OK;
  }
}
