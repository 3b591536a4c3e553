package dev.abilitystore.bench;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.postgres.PostgresConfig;
import dev.abilitystore.postgres.PostgresRecordStore;
import dev.abilitystore.postgres.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Ingest: abilities per second through {@link AbilityStore#store(List)} into both stores (Lucene
 * primary, PostgreSQL secondary), beside the raw engines doing the same writes, per dimension,
 * catalogue size and batch size (1, 100, 1,000).
 *
 * <ul>
 *   <li><b>store</b> ({@link StoreIngest}): {@code store(batch)} over a fresh Lucene index and the
 *       emptied {@code abilities} table; every call returns once both stores hold the batch
 *       durably. The abilities carry their embeddings, so no embedder runs. A write that went to
 *       the replication queue instead of PostgreSQL would flatter the figure: queued writes are
 *       counted ({@code queued}) and the queue's depth after the last call is reported
 *       ({@code queue_depth}); both must be 0, and the table must hold every row.
 *   <li><b>raw PostgreSQL COPY</b> ({@link RawPostgresCopy}): the same rows, in batches of the
 *       same size, one COPY and one transaction per batch, into a fresh copy of the table with
 *       the same storage settings and indexes.
 *   <li><b>raw Lucene</b> ({@link RawLuceneIndexing}): the same vectors with an id, in the same
 *       HNSW format, one commit per batch, into a fresh index.
 * </ul>
 * Each variant is timed from the abilities in memory to the end of its call, summed over the
 * calls; the seeded abilities ({@link SeededAbilities}) are generated outside the timed calls, a
 * copy per variant (so that no variant finds another's content hashes remembered). Absolute
 * times drift on shared machines, so the three take turns batch by batch (the first to go
 * rotates), in the same process; {@code ratio_to_slower_raw} is the store's rate over the slower
 * of the two raw rates (the target is at least 0.8 at batch 1,000); {@code ratio_to_both_raw} is
 * its rate over doing both raw writes one after the other, {@code 1 / (1 / copy + 1 / lucene)}:
 * the same total work, which bounds the store when the two engines together need more CPU than
 * the machine has. Smaller batches commit more
 * often (batch 1: an fsync per ability in each store), so the quick profile measures them on the
 * first abilities of the catalogue only ({@link #abilitiesWritten}), and {@code n} says how many were
 * written.
 */
final class IngestBenchmark implements BenchPart {
  static final List<Integer> BATCH_SIZES = List.of(1, 100, 1_000);

  @Override
  public String name() {
    return "ingest";
  }

  @Override
  public void run(BenchProfile profile, BenchReport report) throws Exception {
    try (PartDatabase database = PartDatabase.create(profile.postgres(), "ingest")) {
      PostgresRecordStore.open(database.config()).close();
      for (int dimension : profile.dimensions()) {
        Set<List<Integer>> measured = new HashSet<>();
        for (int size : profile.sizes()) {
          for (int batch : BATCH_SIZES) {
            int n = abilitiesWritten(profile.full(), size, batch);
            if (measured.add(List.of(n, batch))) {
              report.add("ingest", measure(profile.scratch("ingest-" + dimension + "-" + n + "-" + batch),
                  database.config(), dimension, n, batch));
            }
          }
        }
      }
    }
  }

  /**
   * How many abilities of a catalogue of {@code size} are written in batches of {@code batch}:
   * all of them, except in batches of 1 (the first 1,000; 100 in the quick profile) and, in the
   * quick profile, in batches of 100 (the first 2,000).
   */
  static int abilitiesWritten(boolean full, int size, int batch) {
    if (batch == 1) {
      return Math.min(size, full ? 1_000 : 100);
    }
    return batch < 1_000 && !full ? Math.min(size, 2_000) : size;
  }

  private static Map<String, Object> measure(Path directory, PostgresConfig postgres, int dimension, int n,
      int batch) throws Exception {
    TestPostgres.execute(postgres, "TRUNCATE abilities");
    // The embedder stamp: the next configuration may have another dimension.
    TestPostgres.execute(postgres, "DELETE FROM abilitystore_settings");
    Files.createDirectories(directory.resolve("raw-lucene"));
    long[] nanos = new long[3];
    long queued;
    long queueDepth;
    try (RawPostgresCopy rawPostgres = new RawPostgresCopy(postgres);
        RawLuceneIndexing rawLucene = new RawLuceneIndexing(directory.resolve("raw-lucene"));
        StoreIngest store = new StoreIngest(directory.resolve("store"), postgres, dimension)) {
      checkpoint(postgres);
      int call = 0;
      for (int start = 0; start < n; start += batch, call++) {
        int end = Math.min(n, start + batch);
        for (int turn = 0; turn < 3; turn++) {
          int variant = (turn + call) % 3;
          List<Ability> abilities = SeededAbilities.range(start, end, dimension);
          nanos[variant] += switch (variant) {
            case 0 -> store.store(abilities);
            case 1 -> rawPostgres.copy(abilities);
            default -> rawLucene.index(abilities);
          };
        }
      }
      queued = store.queued();
      queueDepth = store.queueDepth();
      expect("the store's index", store.primaryCount(), n);
      expect("the raw Lucene index", rawLucene.count(), n);
    }
    if (queued == 0) {
      expect("table abilities", TestPostgres.queryLong(postgres, "SELECT count(*) FROM abilities"), n);
    }
    expect("table " + RawPostgresCopy.TABLE,
        TestPostgres.queryLong(postgres, "SELECT count(*) FROM " + RawPostgresCopy.TABLE), n);
    TestPostgres.execute(postgres, "DROP TABLE " + RawPostgresCopy.TABLE);
    BenchMain.deleteRecursively(directory);

    double storeRate = n / (nanos[0] / 1e9);
    double rawPostgresRate = n / (nanos[1] / 1e9);
    double rawLuceneRate = n / (nanos[2] / 1e9);
    double ratio = storeRate / Math.min(rawPostgresRate, rawLuceneRate);
    double bothRawRate = 1 / (1 / rawPostgresRate + 1 / rawLuceneRate);
    System.out.printf(Locale.ROOT, "ingest n=%,d dim=%d batch=%,d: store %,.0f/s, raw COPY %,.0f/s, raw Lucene "
        + "%,.0f/s, ratio to slower raw %.2f, to both raw in turn %.2f (queued %d, queue depth %d)%n", n, dimension,
        batch, storeRate, rawPostgresRate, rawLuceneRate, ratio, storeRate / bothRawRate, queued, queueDepth);
    return BenchReport.row("n", n, "dim", dimension, "batch", batch, "abilities_per_s", Math.round(storeRate),
        "raw_pg_copy_per_s", Math.round(rawPostgresRate), "raw_lucene_per_s", Math.round(rawLuceneRate),
        "ratio_to_slower_raw", Math.round(ratio * 1000) / 1000.0,
        "ratio_to_both_raw", Math.round(storeRate / bothRawRate * 1000) / 1000.0, "seconds", Math.round(nanos[0] / 1e7) / 100.0,
        "raw_pg_copy_seconds", Math.round(nanos[1] / 1e7) / 100.0,
        "raw_lucene_seconds", Math.round(nanos[2] / 1e7) / 100.0, "queued", queued, "queue_depth", queueDepth);
  }

  private static void expect(String what, long actual, long expected) {
    if (actual != expected) {
      throw new IllegalStateException(what + " holds " + actual + " abilities, not " + expected);
    }
  }

  /** Starts each configuration with no dirty buffers of the previous one; skipped where the role may not. */
  private static void checkpoint(PostgresConfig postgres) {
    try (Connection connection = TestPostgres.connect(postgres); Statement statement = connection.createStatement()) {
      statement.execute("CHECKPOINT");
    } catch (SQLException e) {
      // Neither a superuser nor pg_checkpoint: the measurement runs with whatever the server flushes when.
    }
  }
}
