package dev.abilitystore.app.cli;

import dev.abilitystore.app.Wiring;
import dev.abilitystore.postgres.PostgresRecordStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Deletes abilities. */
@Command(name = "delete", mixinStandardHelpOptions = true,
    description = "Delete abilities by id; exits 4 if none of them existed.", footer = ExitCodes.FOOTER)
final class DeleteCommand extends BaseCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "ABILITY_ID")
  List<String> abilityIds = new ArrayList<>();

  @Override
  public Integer call() {
    try (PostgresRecordStore store = Wiring.recordStore(settings(), commandName())) {
      int deleted = store.delete(abilityIds);
      out().printf("deleted %d of %d abilities%n", deleted, abilityIds.size());
      return deleted == 0 ? ExitCodes.NOT_FOUND : ExitCodes.OK;
    }
  }
}
