package dev.abilitystore.app.cli;

import dev.abilitystore.app.IndexReembedding;
import dev.abilitystore.embed.Reembedder;
import dev.abilitystore.sync.SyncProgress;
import dev.abilitystore.sync.SyncReport;
import dev.abilitystore.app.ProgressThrottle;
import java.io.PrintStream;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Re-embeds every ability with the configured embedder. */
@Command(name = "reembed", mixinStandardHelpOptions = true,
    description = {"Re-embed every ability with the configured embedder (ABILITYSTORE_EMBEDDER, "
        + "ABILITYSTORE_DIMENSION): builds a new index beside the current one, swaps it in (the old one is kept as "
        + "index.before-reembed-<time> in the data directory), records the model in PostgreSQL and syncs "
        + "PostgreSQL's embeddings from the index.",
        "Resumable: if it is interrupted, run it again and it goes on where it stopped."},
    footer = ExitCodes.FOOTER)
final class ReembedCommand extends BaseCommand implements Callable<Integer> {
  @Option(names = "--batch-size", defaultValue = "256", description = "Abilities per embedding call (1-1000; "
      + "default ${DEFAULT-VALUE}).")
  int batchSize;

  @Override
  public Integer call() {
    refuseUrl();
    refuseInfraxa("to move Infraxa to another embedder, export the abilities without their embeddings (abilitystore "
        + "export --format jsonl) and import them with the new ABILITYSTORE_EMBEDDER into a new VECTOR_DB_TENANT");
    IndexReembedding reembedding = new IndexReembedding(settings(), batchSize, InstantSource.system());
    IndexReembedding.Outcome outcome = reembedding.run(new ProgressLines(err()), SyncProgress.NONE);
    print(out(), outcome);
    return ExitCodes.OK;
  }

  private static void print(PrintStream out, IndexReembedding.Outcome outcome) {
    Reembedder.Report report = outcome.reembedding();
    if (report == null) {
      out.printf("the index already holds vectors of %s: nothing to re-embed%n", outcome.embedder());
    } else {
      out.printf("re-embedded %,d abilities with %s%s in %,d ms (%,.0f/s)%s%n", report.reembedded(),
          outcome.embedder(), outcome.previous() == null ? "" : ", replacing " + outcome.previous(),
          report.elapsed().toMillis(), report.rate(),
          report.resumedAfter() == null ? "" : ", resuming after '" + report.resumedAfter() + "'");
      out.printf("the previous index is kept at %s (delete it when you no longer need it)%n",
          outcome.previousIndex());
    }
    SyncReport sync = outcome.sync();
    if (sync == null) {
      out.println("PostgreSQL: not configured");
    } else {
      out.printf("PostgreSQL: recorded %s; sync updated %,d abilities (%,d stale, %,d missing, %,d extra) in %,d ms%n",
          outcome.embedder(), sync.repaired(), sync.stale(), sync.missingInSecondary(), sync.missingInPrimary(),
          sync.durationMs());
    }
  }

  /** Prints how far the re-embedding is, at most once a second, on standard error. */
  private static final class ProgressLines implements Reembedder.Progress {
    private final PrintStream err;
    private final ProgressThrottle throttle = new ProgressThrottle();

    ProgressLines(PrintStream err) {
      this.err = err;
    }

    @Override
    public void update(long done, long total) {
      if (!throttle.due(done >= total)) {
        return;
      }
      err.printf("re-embedding: %,d/%,d abilities (%d%%)%n", done, total, total == 0 ? 100 : done * 100 / total);
    }
  }
}
