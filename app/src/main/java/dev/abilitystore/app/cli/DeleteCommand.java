package dev.abilitystore.app.cli;

import dev.abilitystore.AbilityStore;
import dev.abilitystore.DeleteResult;
import dev.abilitystore.SecondaryState;
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
    try (AbilityStore store = openStore()) {
      List<String> existing = requested.stream().filter(id -> store.get(id).isPresent()).toList();
      if (existing.isEmpty()) {
        out().printf("deleted 0 of %d abilities: none of them exists%n", requested.size());
        return ExitCodes.NOT_FOUND;
      }
      DeleteResult result = store.delete(existing);
      out().printf("deleted %d of %d abilities%s%n", existing.size(), requested.size(), postgres(result.secondary()));
      return ExitCodes.OK;
    }
  }

  private static String postgres(SecondaryState state) {
    return switch (state) {
      case STORED -> "";
      case QUEUED -> " (PostgreSQL is unreachable: its deletes wait in the replication queue)";
      case DISABLED -> "";
    };
  }
}
