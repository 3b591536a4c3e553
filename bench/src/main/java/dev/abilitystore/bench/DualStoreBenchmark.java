package dev.abilitystore.bench;

import dev.abilitystore.AbilityStore;
import dev.abilitystore.embed.HashingEmbedder;
import dev.abilitystore.lucene.LuceneConfig;
import dev.abilitystore.lucene.LuceneVectorIndex;
import dev.abilitystore.postgres.DatabaseBootstrap;
import dev.abilitystore.postgres.DatabaseUrl;
import dev.abilitystore.postgres.PostgresConfig;
import dev.abilitystore.postgres.PostgresRecordStore;
import dev.abilitystore.postgres.testing.TcpProxy;
import dev.abilitystore.replication.Backoff;
import dev.abilitystore.sync.SyncDirection;
import dev.abilitystore.sync.SyncProgress;
import dev.abilitystore.sync.SyncReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The dual store under a PostgreSQL outage, and the reconciler, at scale:
 * <ol>
 *   <li>ingest N abilities with PostgreSQL cut off (a TCP proxy refusing connections): every
 *       write goes to the primary and the replication queue;</li>
 *   <li>PostgreSQL comes back: the queue's drain rate, and the time until both stores are equal;</li>
 *   <li>a dry-run sync over equal stores (the compare rate);</li>
 *   <li>PostgreSQL emptied by hand, then a primary-to-secondary sync (the repair rate);</li>
 *   <li>the raw baseline: the same rows written by PostgreSQL {@code COPY} into a copy of the
 *       table with the same indexes, so the rates above can be read against the engine's own.</li>
 * </ol>
 * Run (after {@code ./mvnw -q -DskipTests package}):
 * <pre>java --add-modules jdk.incubator.vector -cp bench/target/abilitystore-bench.jar \
 *     dev.abilitystore.bench.DualStoreBenchmark [count=100000] [dimension=384] \
 *     [database=postgresql://postgres@127.0.0.1:5432/abilitystore_bench] [dir=/tmp/abilitystore-dual-bench]</pre>
 */
public final class DualStoreBenchmark {
  private static final int BATCH = 1000;

  private DualStoreBenchmark() {}

  public static void main(String[] arguments) throws Exception {
    int count = 100_000;
    int dimension = 384;
    String database = "postgresql://postgres@127.0.0.1:5432/abilitystore_bench";
    Path directory = Path.of("/tmp/abilitystore-dual-bench");
    for (String argument : arguments) {
      String[] pair = argument.split("=", 2);
      switch (pair[0]) {
        case "count" -> count = Integer.parseInt(pair[1]);
        case "dimension" -> dimension = Integer.parseInt(pair[1]);
        case "database" -> database = pair[1];
        case "dir" -> directory = Path.of(pair[1]);
        default -> throw new IllegalArgumentException("unknown argument " + argument);
      }
    }
    PostgresConfig postgres = DatabaseUrl.parse(database).build();
    DatabaseBootstrap.createDatabaseIfMissing(postgres);
    execute(postgres, "DROP TABLE IF EXISTS abilities; DROP TABLE IF EXISTS abilitystore_schema_history; "
        + "DROP TABLE IF EXISTS abilitystore_settings; DROP TABLE IF EXISTS abilitystore_usage; "
        + "DROP TABLE IF EXISTS abilitystore_usage_totals");
    deleteRecursively(directory);
    run(count, dimension, postgres, directory);
  }

  private static void run(int count, int dimension, PostgresConfig postgres, Path directory) throws SQLException {
    HashingEmbedder embedder = new HashingEmbedder(dimension);
    try (TcpProxy proxy = TcpProxy.inFrontOf(postgres)) {
      proxy.cut();
      try (AbilityStore store = AbilityStore.builder()
          .primary(LuceneVectorIndex.open(LuceneConfig.builder(directory.resolve("index"), dimension)
              .embedderModel(embedder.model()).build()))
          .secondary(PostgresRecordStore.open(proxy.proxied(postgres).toBuilder().startWhileDown(true)
              .connectionTimeout(Duration.ofSeconds(1)).build()))
          .embedder(embedder)
          .dataDirectory(directory)
          .backoff(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)))
          .syncOnStart(false)
          .build()) {
        long started = System.nanoTime();
        for (int start = 0; start < count; start += BATCH) {
          store.store(SeededAbilities.range(start, Math.min(count, start + BATCH), dimension));
        }
        double ingestSeconds = seconds(started);
        long depth = store.replication().orElseThrow().depth();
        System.out.printf(Locale.ROOT, "ingest with PostgreSQL down: %,d abilities in %.1f s (%,.0f/s); queued %,d%n",
            count, ingestSeconds, count / ingestSeconds, depth);

        long restored = System.nanoTime();
        proxy.restore();
        while (store.replication().orElseThrow().depth() > 0) {
          Thread.sleep(20);
        }
        double drainSeconds = seconds(restored);
        SyncReport check = store.sync(SyncDirection.PRIMARY_TO_SECONDARY, true, SyncProgress.NONE);
        double equalSeconds = seconds(restored);
        System.out.printf(Locale.ROOT, "queue drained: %,d writes in %.1f s (%,.0f/s)%n", depth, drainSeconds,
            depth / drainSeconds);
        System.out.printf(Locale.ROOT, "PostgreSQL back -> both stores verified equal: %.1f s (differences: %d)%n",
            equalSeconds, check.repaired() + check.missingInPrimary() + check.missingInSecondary() + check.stale());
        System.out.printf(Locale.ROOT, "dry-run sync over equal stores: %,d compared in %,d ms (%,.0f/s)%n",
            check.scannedPrimary(), check.durationMs(), check.abilitiesPerSecond());

        execute(postgres, "TRUNCATE abilities");
        SyncReport rebuild = store.sync(SyncDirection.PRIMARY_TO_SECONDARY, false, SyncProgress.NONE);
        System.out.printf(Locale.ROOT, "sync rebuilding PostgreSQL: %,d repaired in %,d ms (%,.0f/s)%n",
            rebuild.repaired(), rebuild.durationMs(), rebuild.repaired() * 1000.0 / Math.max(1, rebuild.durationMs()));
        double copySeconds = rawCopy(postgres);
        System.out.printf(Locale.ROOT, "raw PostgreSQL COPY of the same rows into the same table shape: %.1f s (%,.0f/s)%n",
            copySeconds, count / copySeconds);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Copies the rows out as text, then times {@code COPY FROM} into an empty table with the same indexes. */
  private static double rawCopy(PostgresConfig config) throws SQLException {
    try (Connection connection = DriverManager.getConnection(config.jdbcUrl(), config.driverProperties());
        Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS abilities_raw_copy; "
          + "CREATE TABLE abilities_raw_copy (LIKE abilities INCLUDING ALL)");
      org.postgresql.copy.CopyManager copy = connection.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
      java.io.ByteArrayOutputStream rows = new java.io.ByteArrayOutputStream();
      try {
        copy.copyOut("COPY abilities TO STDOUT", rows);
        long started = System.nanoTime();
        copy.copyIn("COPY abilities_raw_copy FROM STDIN", new java.io.ByteArrayInputStream(rows.toByteArray()));
        double elapsed = seconds(started);
        statement.execute("DROP TABLE abilities_raw_copy");
        return elapsed;
      } catch (IOException e) {
        throw new SQLException(e);
      }
    }
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  private static void execute(PostgresConfig config, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(config.jdbcUrl(), config.driverProperties());
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
