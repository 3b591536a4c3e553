package dev.abilitystore.app.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Deletes abilities. */
@Command(name = "delete", mixinStandardHelpOptions = true,
    description = "Delete abilities by id from the index and PostgreSQL; exits 4 if none of them existed.",
    footer = ExitCodes.FOOTER)
final class DeleteCommand extends BaseCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "ABILITY_ID")
  List<String> abilityIds = new ArrayList<>();

  @Override
  public Integer call() {
    List<String> requested = List.copyOf(new LinkedHashSet<>(abilityIds));
    try (Catalogue catalogue = openCatalogue()) {
      Catalogue.Deletion deletion = catalogue.delete(requested);
      if (deletion.deleted().isEmpty()) {
        out().printf("deleted 0 of %d abilities: none of them exists%n", requested.size());
        return ExitCodes.NOT_FOUND;
      }
      out().printf("deleted %d of %d abilities%s%n", deletion.deleted().size(), requested.size(),
          switch (deletion.secondary()) {
            case QUEUED -> " (PostgreSQL is unreachable: its deletes wait in the replication queue)";
            case STORED, DISABLED -> "";
          });
      return ExitCodes.OK;
    }
  }
}
