package dev.abilitystore.app.cli;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.Page;
import dev.abilitystore.json.AbilityJson;
import java.io.PrintStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Structured queries over the catalogue. */
@Command(name = "query", mixinStandardHelpOptions = true,
    description = {"List abilities that pass every given filter, in ability-id order, one page at a time.",
        "Answered by PostgreSQL when it is configured, reachable and caught up, otherwise by the index."},
    footer = ExitCodes.FOOTER)
final class QueryCommand extends BaseCommand implements Callable<Integer> {
  @Option(names = "--service", paramLabel = "NAME", description = "Only this service; repeat for several.")
  List<String> services = new ArrayList<>();

  @ArgGroup(exclusive = true)
  @Nullable AuthOption auth;

  @Option(names = "--contains", paramLabel = "TEXT", description = "Name or description contains TEXT (any case).")
  @Nullable String contains;

  @Option(names = "--created-from", paramLabel = "TIME", description = "Created at or after TIME (ISO-8601).")
  @Nullable String createdFrom;

  @Option(names = "--created-before", paramLabel = "TIME", description = "Created before TIME (ISO-8601).")
  @Nullable String createdBefore;

  @Option(names = "--updated-from", paramLabel = "TIME", description = "Updated at or after TIME (ISO-8601).")
  @Nullable String updatedFrom;

  @Option(names = "--updated-before", paramLabel = "TIME", description = "Updated before TIME (ISO-8601).")
  @Nullable String updatedBefore;

  @Option(names = "--limit", defaultValue = "50", description = "Page size, 1-1000 (default ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--cursor", paramLabel = "CURSOR", description = "Continue after the page that printed this cursor.")
  @Nullable String cursor;

  @Option(names = "--all", description = "Follow the cursor to the last page.")
  boolean all;

  @Option(names = "--json", description = "Print JSON Lines, one ability per line, instead of a table.")
  boolean json;

  @Override
  public Integer call() {
    AbilityFilter filter = AbilityFilter.builder()
        .services(services)
        .dynamicHeadersRequired(AuthOption.required(auth))
        .textContains(contains)
        .createdFrom(instant("--created-from", createdFrom))
        .createdBefore(instant("--created-before", createdBefore))
        .updatedFrom(instant("--updated-from", updatedFrom))
        .updatedBefore(instant("--updated-before", updatedBefore))
        .build();
    AbilityQuery query = new AbilityQuery(filter, limit, cursor);
    PrintStream out = out();
    try (Catalogue catalogue = openCatalogue()) {
      List<Ability> shown = new ArrayList<>();
      while (true) {
        Page<Ability> page = catalogue.query(query, false);
        if (json) {
          page.items().forEach(ability -> out.println(AbilityJson.toJson(ability, false)));
        } else {
          shown.addAll(page.items());
        }
        if (!page.hasNext() || !all) {
          if (!json) {
            table(shown).print(out);
          }
          if (page.hasNext()) {
            err().printf("more abilities follow: --cursor %s (or --all)%n", page.nextCursor());
          }
          return ExitCodes.OK;
        }
        query = query.next(page.nextCursor());
      }
    }
  }

  static TextTable table(List<Ability> abilities) {
    TextTable table = new TextTable(60, "ABILITY_ID", "SERVICE", "AUTH", "METHOD", "URL");
    for (Ability ability : abilities) {
      String method = ability.metadataText("request_method");
      String url = ability.metadataText("request_url");
      table.row(ability.abilityId(), ability.serviceName(), ability.dynamicHeadersRequired() ? "private" : "public",
          method == null ? "" : method, url == null ? "" : url);
    }
    return table;
  }

  private static @Nullable Instant instant(String option, @Nullable String text) {
    if (text == null) {
      return null;
    }
    try {
      return AbilityJson.parseTimestamp(text);
    } catch (DateTimeParseException e) {
      throw new InvalidInputException(option + " must be an ISO-8601 time such as 2026-01-02T03:04:05Z, was '"
          + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'");
    }
  }
}
