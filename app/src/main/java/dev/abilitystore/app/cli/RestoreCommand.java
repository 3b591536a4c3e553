package dev.abilitystore.app.cli;

import dev.abilitystore.AbilityStore;
import dev.abilitystore.DimensionMismatchException;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.app.BackupArchive;
import dev.abilitystore.app.ImportReport;
import dev.abilitystore.app.ImportSource;
import dev.abilitystore.app.Importer;
import dev.abilitystore.app.ProgressDisplay;
import dev.abilitystore.app.Wiring;
import dev.abilitystore.json.AbilityJson;
import dev.abilitystore.port.Embedder;
import dev.abilitystore.port.EmbedderStamp;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Reads a backup into the stores. */
@Command(name = "restore", mixinStandardHelpOptions = true,
    description = {"Restore the abilities of a backup that 'backup' wrote into the index, and PostgreSQL when "
        + "DATABASE_URL is set, with their embeddings and timestamps (nothing is re-embedded).",
        "The header is checked first: the backup's vectors must have the store's dimension, and come from the "
            + "store's embedder (--force accepts another model). Then every record is read and checked before "
            + "anything is written. Abilities the store holds that the backup lacks are kept."},
    footer = ExitCodes.FOOTER)
final class RestoreCommand extends BaseCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", description = "A backup written by 'abilitystore backup'.")
  Path file;

  @Option(names = "--force", description = "Restore vectors made by another embedding model than the store's.")
  boolean force;

  @Option(names = "--batch-size", defaultValue = "500", description = "Abilities per write (1-1000; default ${DEFAULT-VALUE}).")
  int batchSize;

  @Override
  public Integer call() {
    refuseUrl();
    BackupArchive.Header header = BackupArchive.readHeader(file);
    try (AbilityStore store = openStore()) {
      check(header.embedder(), store.embedder());
      ProgressDisplay progress = ProgressDisplay.on(err());
      Importer importer = new Importer(store.primary().dimension(), store::store, batchSize, progress, "restore");
      List<ImportSource> sources = List.of(BackupArchive.abilities(file));
      long total = importer.validate(sources);
      if (total != header.count()) {
        throw new InvalidInputException("the backup " + file + " is incomplete: its header counts " + header.count()
            + " abilities and it holds " + total + "; nothing was restored");
      }
      ImportReport report;
      try (QuietLogs quiet = QuietLogs.when(progress.redraws() && !root().logLevelChosen())) {
        report = importer.write(sources, total);
      }
      out().printf("restored %,d abilities from %s (backed up %s, %s): %,d new, %,d updated, %,d unchanged, in %,d ms "
          + "(%,.0f/s); %s%n", report.read(), file, AbilityJson.formatTimestamp(header.createdAt()), header.embedder(),
          report.inserted(), report.updated(), report.unchanged(), report.elapsed().toMillis(), report.rate(),
          ImportCommand.postgres(store.secondary().enabled(), report));
      return ExitCodes.OK;
    }
  }

  /** Refuses vectors of another dimension, and of another model unless forced; {@code none} takes any model. */
  private void check(EmbedderStamp backup, Embedder embedder) {
    EmbedderStamp store = EmbedderStamp.of(embedder);
    if (backup.dimension() != store.dimension()) {
      throw new DimensionMismatchException(store.dimension(), backup.dimension(), "the backup " + file + " holds "
          + backup + " vectors and the store " + store + " ones: restore it into a store of its embedder and "
          + "dimension (ABILITYSTORE_EMBEDDER, ABILITYSTORE_DIMENSION, another --data-dir), then run "
          + "`abilitystore reembed` there to move to another");
    }
    boolean anyModel = Wiring.modelOf(embedder) == null;
    if (!anyModel && !backup.model().equals(store.model()) && !force) {
      throw new InvalidInputException("the backup " + file + " holds vectors of " + backup.model() + " and the store "
          + "embeds with " + store.model() + ": searches would compare vectors of two models. Restore it with the "
          + "embedder that made them, then run `abilitystore reembed` to move to " + store.model() + "; or pass "
          + "--force if both models make the same vectors");
    }
  }
}
