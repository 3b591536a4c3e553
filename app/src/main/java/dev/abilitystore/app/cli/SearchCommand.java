package dev.abilitystore.app.cli;

import dev.abilitystore.AbilityFilter;
import dev.abilitystore.SearchRequest;
import dev.abilitystore.SearchResult;
import dev.abilitystore.port.SearchHit;
import dev.abilitystore.port.SearchMode;
import dev.abilitystore.server.JsonViews;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** Searches by meaning, keyword, or both. */
@Command(name = "search", mixinStandardHelpOptions = true,
    description = {"Find abilities by meaning (vector), by keyword (BM25) or both (hybrid, the default), best first.",
        "Filters apply before ranking. If the index cannot answer, PostgreSQL's copy of the embeddings does, and the "
            + "answer says it is degraded."},
    footer = ExitCodes.FOOTER)
final class SearchCommand extends BaseCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "TEXT", description = "What to look for, e.g. \"get a GitHub user's profile\".")
  List<String> words = new ArrayList<>();

  @Option(names = "-k", paramLabel = "N", defaultValue = "" + SearchRequest.DEFAULT_K,
      description = "How many results at most (default ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--service", paramLabel = "NAME", description = "Only this service; repeat for several.")
  List<String> services = new ArrayList<>();

  @ArgGroup(exclusive = true)
  @Nullable AuthOption auth;

  @Option(names = "--mode", paramLabel = "MODE", defaultValue = "hybrid", converter = ModeConverter.class,
      description = "vector, keyword or hybrid (default ${DEFAULT-VALUE}).")
  SearchMode mode;

  @Option(names = "--json", description = "Print the results as JSON.")
  boolean json;

  @Override
  public Integer call() {
    AbilityFilter filter = AbilityFilter.builder()
        .services(services)
        .dynamicHeadersRequired(AuthOption.required(auth))
        .build();
    SearchRequest request = new SearchRequest(String.join(" ", words), null, k, mode, filter);
    try (Catalogue catalogue = openCatalogue()) {
      SearchResult result = catalogue.search(request);
      if (json) {
        JsonOutput.print(out(), JsonViews.searchResult(result));
      } else {
        table(result.hits()).print(out());
        if (result.degraded()) {
          out().println("(degraded: answered from PostgreSQL)");
        }
        err().printf("%d results in %d ms (%s)%n", result.hits().size(), result.tookMs(), wireName(result.mode()));
      }
      return ExitCodes.OK;
    }
  }

  static TextTable table(List<SearchHit> hits) {
    TextTable table = new TextTable(60, "RANK", "SCORE", "ABILITY_ID", "SERVICE", "NAME");
    int rank = 1;
    for (SearchHit hit : hits) {
      table.row(rank++, String.format(Locale.ROOT, "%.3f", hit.score()), hit.ability().abilityId(),
          hit.ability().serviceName(), hit.ability().abilityName());
    }
    return table;
  }

  private static String wireName(SearchMode mode) {
    return mode.name().toLowerCase(Locale.ROOT);
  }

  /** Reads {@code vector}, {@code keyword} or {@code hybrid}, any case. */
  static final class ModeConverter implements ITypeConverter<SearchMode> {
    @Override
    public SearchMode convert(String value) {
      for (SearchMode candidate : SearchMode.values()) {
        if (wireName(candidate).equalsIgnoreCase(value.strip())) {
          return candidate;
        }
      }
      throw new TypeConversionException("must be vector, keyword or hybrid, was '"
          + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'");
    }
  }
}
