package dev.abilitystore.app.cli;

import dev.abilitystore.AbilityStore;
import dev.abilitystore.app.BackupArchive;
import dev.abilitystore.app.ProgressDisplay;
import dev.abilitystore.port.EmbedderStamp;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Writes a portable archive of every ability. */
@Command(name = "backup", mixinStandardHelpOptions = true,
    description = {"Write every ability with its embedding and timestamps to FILE: a portable archive (gzip'd JSON "
        + "Lines after a header naming the embedder) that 'restore' reads into any index, with or without "
        + "PostgreSQL.",
        "Reads the index, the source of truth (with Infraxa as the primary, the abilities whose ids PostgreSQL holds: "
            + "DATABASE_URL is then needed); the file appears only when it is complete. Works on the data "
            + "directory, so not with --url, and not while 'serve' holds the same data directory."},
    footer = ExitCodes.FOOTER)
final class BackupCommand extends BaseCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", description = "Where to write the backup, e.g. abilities.backup.jsonl.gz.")
  Path file;

  @Override
  public Integer call() throws IOException {
    refuseUrl();
    refuseInfraxaWithoutPostgres();
    try (AbilityStore store = openStore()) {
      long started = System.nanoTime();
      ProgressDisplay progress = ProgressDisplay.on(err());
      BackupArchive.Header header;
      try (QuietLogs quiet = QuietLogs.when(progress.redraws() && !root().logLevelChosen())) {
        header = BackupArchive.write(store.primary(), EmbedderStamp.of(store.embedder()), file,
            Instant.now().truncatedTo(ChronoUnit.MICROS), progress);
      }
      out().printf("backed up %,d abilities with their %s vectors to %s in %,d ms%n", header.count(), header.embedder(),
          file, (System.nanoTime() - started) / 1_000_000);
      return ExitCodes.OK;
    }
  }
}
