package dev.abilitystore.app.cli;

import dev.abilitystore.Ability;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Prints one ability. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Print one ability as JSON.",
    footer = ExitCodes.FOOTER)
final class GetCommand extends BaseCommand implements Callable<Integer> {
  @Parameters(paramLabel = "ABILITY_ID")
  String abilityId;

  @Option(names = "--include-embedding", description = "Include the embedding vector.")
  boolean includeEmbedding;

  @Override
  public Integer call() {
    try (Catalogue catalogue = openCatalogue()) {
      Optional<Ability> ability = catalogue.get(abilityId, includeEmbedding);
      if (ability.isEmpty()) {
        err().printf("abilitystore: no ability with id '%s'%n", abilityId);
        return ExitCodes.NOT_FOUND;
      }
      JsonOutput.print(out(), JsonOutput.ability(ability.get(), includeEmbedding));
      return ExitCodes.OK;
    }
  }
}
