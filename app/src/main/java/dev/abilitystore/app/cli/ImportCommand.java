package dev.abilitystore.app.cli;

import dev.abilitystore.app.ImportReport;
import dev.abilitystore.app.ImportSource;
import dev.abilitystore.app.Importer;
import dev.abilitystore.app.ProgressDisplay;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** Imports abilities from files. */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = {"Import abilities from JSON files: one ability, an array, the original system's export "
        + "({\"success\": true, \"abilities\": [...]}, as 'export' writes it) or JSON Lines; '-' reads standard "
        + "input.",
        "Every record is validated first: if any is invalid, nothing is imported and each problem is listed with "
            + "its file and line.",
        "Abilities go to the index, and to PostgreSQL when DATABASE_URL is set (or, while it is unreachable, to "
            + "the replication queue, which delivers them when it is back); with --url, to that server in batches.",
        "Progress shows as a bar on a terminal, as a line a second otherwise."},
    footer = ExitCodes.FOOTER)
final class ImportCommand extends BaseCommand implements Callable<Integer> {
  @Parameters(arity = "0..*", paramLabel = "FILE", description = "Files to import, or - for standard input.")
  List<String> files = new ArrayList<>();

  @Option(names = "--batch-size", defaultValue = "500", description = "Abilities per write (1-1000; default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--dry-run", description = "Validate only; write nothing.")
  boolean dryRun;

  @Option(names = "--sample", description = "Import the bundled sample catalogue as well.")
  boolean sample;

  @Override
  public Integer call() throws IOException {
    if (files.isEmpty() && !sample) {
      throw new ParameterException(spec.commandLine(), "Missing required parameter: 'FILE' (or --sample)");
    }
    List<ImportSource> sources = new ArrayList<>();
    List<Path> temporary = new ArrayList<>();
    try {
      for (String file : files) {
        if (file.equals("-")) {
          Path copy = Files.createTempFile("abilitystore-import-", ".json");
          temporary.add(copy);
          try (InputStream in = System.in) {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
          }
          sources.add(new ImportSource("<stdin>", ImportSource.file(copy).opener()));
        } else {
          sources.add(ImportSource.file(Path.of(file)));
        }
      }
      if (sample) {
        sources.add(ImportSource.sampleCatalogue());
      }
      try (Catalogue catalogue = openCatalogue()) {
        ProgressDisplay progress = ProgressDisplay.on(err());
        Importer importer = new Importer(catalogue.dimension(), catalogue::store, batchSize, progress, "import");
        if (dryRun) {
          long total = importer.validate(sources);
          out().printf("validated %,d abilities: all valid; nothing written (--dry-run)%n", total);
          return ExitCodes.OK;
        }
        ImportReport report;
        try (QuietLogs quiet = QuietLogs.when(progress.redraws() && !root().logLevelChosen())) {
          report = importer.run(sources, false);
        }
        out().printf("imported %,d abilities: %,d new, %,d updated, %,d unchanged, %,d embedded, in %,d ms "
            + "(%,.0f/s); %s%n", report.read(), report.inserted(), report.updated(), report.unchanged(),
            report.embedded(), report.elapsed().toMillis(), report.rate(),
            postgres(catalogue.postgresConfigured(), report));
      }
      return ExitCodes.OK;
    } finally {
      for (Path path : temporary) {
        try {
          Files.deleteIfExists(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  static String postgres(boolean configured, ImportReport report) {
    if (!configured) {
      return "PostgreSQL: not configured";
    }
    return report.queuedForPostgres() == 0
        ? String.format("PostgreSQL: %,d stored", report.storedInPostgres())
        : String.format("PostgreSQL: %,d stored, %,d queued (unreachable; delivered when it is back)",
            report.storedInPostgres(), report.queuedForPostgres());
  }
}
