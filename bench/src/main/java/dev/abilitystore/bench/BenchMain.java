package dev.abilitystore.bench;

import dev.abilitystore.postgres.DatabaseUrl;
import dev.abilitystore.postgres.PostgresConfig;
import dev.abilitystore.postgres.testing.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.util.Version;
import org.jspecify.annotations.Nullable;

/**
 * {@code abilitystore bench}: runs the benchmark parts in turn and writes their figures as JSON, and
 * as Markdown tables beside it ({@code results.md} for {@code results.json}).
 *
 * <pre>bin/abilitystore bench [--quick | --full] [--out results.json] [--only search,ingest,queries,http,quality]
 *     [--data ../shared/data] [--work /tmp/abilitystore-bench] [--embedders local,hashing]</pre>
 *
 * PostgreSQL: {@code DATABASE_URL} names the server (a fresh database is created on it and dropped
 * afterwards); otherwise the test harness's server (local, else embedded).
 */
public final class BenchMain {
  private static final List<BenchPart> PARTS = List.of(new SearchBenchmark(), new IngestBenchmark(),
      new QueryBenchmark(), new HttpBenchmark(), new QualityBenchmark());

  private BenchMain() {}

  public static void main(String[] arguments) throws Exception {
    boolean full = false;
    Path out = Path.of("results.json");
    Set<String> only = new LinkedHashSet<>();
    @Nullable Path data = null;
    Path work = Path.of(System.getProperty("java.io.tmpdir"), "abilitystore-bench");
    List<String> embedders = BenchProfile.EMBEDDERS;
    for (int i = 0; i < arguments.length; i++) {
      switch (arguments[i]) {
        case "--quick" -> full = false;
        case "--full" -> full = true;
        case "--out" -> out = Path.of(value(arguments, ++i));
        case "--only" -> only.addAll(List.of(value(arguments, ++i).split(",")));
        case "--data" -> data = Path.of(value(arguments, ++i));
        case "--work" -> work = Path.of(value(arguments, ++i));
        case "--embedders" -> embedders = List.of(value(arguments, ++i).split(","));
        case "-h", "--help" -> {
          System.out.println("usage: abilitystore bench [--quick | --full] [--out results.json] "
              + "[--only search,ingest,queries,http,quality] [--data DIR] [--work DIR] [--embedders local,hashing]");
          return;
        }
        default -> throw new IllegalArgumentException("unknown option " + arguments[i] + " (try --help)");
      }
    }
    if (!BenchProfile.EMBEDDERS.containsAll(embedders)) {
      throw new IllegalArgumentException("--embedders takes " + BenchProfile.EMBEDDERS + ", was " + embedders);
    }
    for (String name : only) {
      if (PARTS.stream().noneMatch(part -> part.name().equals(name))) {
        throw new IllegalArgumentException("unknown part " + name + " in --only; the parts are "
            + PARTS.stream().map(BenchPart::name).toList());
      }
    }
    deleteRecursively(work);
    Files.createDirectories(work);
    PostgresConfig server = server();
    PostgresConfig postgres = createDatabase(server);
    BenchProfile profile = new BenchProfile(full, full ? BenchProfile.FULL_SIZES : BenchProfile.QUICK_SIZES,
        BenchProfile.DIMENSIONS, work, data != null ? data : findData(), postgres, embedders);
    BenchReport report = new BenchReport();
    report.put("profile", full ? "full" : "quick");
    report.put("started_at", Instant.now().toString());
    report.put("machine", machine(postgres));
    long started = System.nanoTime();
    try {
      for (BenchPart part : PARTS) {
        if (!only.isEmpty() && !only.contains(part.name())) {
          continue;
        }
        long partStarted = System.nanoTime();
        System.out.printf(Locale.ROOT, "== %s ==%n", part.name());
        part.run(profile, report);
        report.put("duration_s_" + part.name(), seconds(partStarted));
        report.write(out);
      }
    } finally {
      TestPostgres.execute(server, "DROP DATABASE IF EXISTS " + postgres.database() + " WITH (FORCE)");
      deleteRecursively(work);
    }
    report.put("duration_s", seconds(started));
    report.write(out);
    Path markdown = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.json$", "") + ".md");
    BenchMarkdown.write(report, List.of("search", "memory", "ingest", "queries", "http", "quality",
        "quality_settings"), markdown);
    System.out.printf(Locale.ROOT, "wrote %s and %s in %s%n", out.toAbsolutePath(), markdown.getFileName(),
        Duration.ofSeconds(seconds(started)));
  }

  private static long seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000_000L;
  }

  private static String value(String[] arguments, int index) {
    if (index >= arguments.length) {
      throw new IllegalArgumentException(arguments[index - 1] + " needs a value");
    }
    return arguments[index];
  }

  /** The server: {@code DATABASE_URL}'s, or the test harness's (local, else embedded). */
  private static PostgresConfig server() {
    String url = System.getenv("DATABASE_URL");
    return url == null || url.isBlank() ? TestPostgres.server() : DatabaseUrl.parse(url).build();
  }

  /** A fresh database of this run on {@code server}. */
  private static PostgresConfig createDatabase(PostgresConfig server) {
    String name = "abilitystore_bench_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    TestPostgres.execute(server, "CREATE DATABASE " + name);
    return server.toBuilder().database(name).build();
  }

  /** {@code ../shared/data} beside the working directory or beside the checkout, when it holds the corpus. */
  private static @Nullable Path findData() {
    String variable = System.getenv("ABILITYSTORE_BENCH_DATA");
    List<Path> candidates = new ArrayList<>();
    if (variable != null && !variable.isBlank()) {
      candidates.add(Path.of(variable));
    }
    Path here = Path.of("").toAbsolutePath();
    for (Path directory = here; directory != null; directory = directory.getParent()) {
      candidates.add(directory.resolve("shared/data"));
    }
    return candidates.stream().filter(path -> Files.isRegularFile(path.resolve("abilities-corpus.jsonl")))
        .findFirst().orElse(null);
  }

  private static Map<String, Object> machine(PostgresConfig postgres) {
    Runtime runtime = Runtime.getRuntime();
    return BenchReport.row("cpu", cpu(), "cores", runtime.availableProcessors(), "memory_mib", totalMemoryMib(),
        "os", System.getProperty("os.name") + " " + System.getProperty("os.version"),
        "java", Runtime.version().toString(), "max_heap_mib", runtime.maxMemory() >> 20,
        "lucene", Version.LATEST.toString(), "postgresql", postgresVersion(postgres));
  }

  /** The CPU's model name, from {@code /proc/cpuinfo}. */
  static String cpu() {
    return procLine("/proc/cpuinfo", "model name", "unknown CPU");
  }

  private static @Nullable Long totalMemoryMib() {
    String total = procLine("/proc/meminfo", "MemTotal", "");
    return total.isEmpty() ? null : Long.parseLong(total.replaceAll("\\D", "")) >> 10;
  }

  /** The value after the colon of the first line of {@code file} starting {@code key}, or {@code otherwise}. */
  static String procLine(String file, String key, String otherwise) {
    try (Stream<String> lines = Files.lines(Path.of(file))) {
      return lines.filter(line -> line.startsWith(key)).findFirst()
          .map(line -> line.substring(line.indexOf(':') + 1).strip()).orElse(otherwise);
    } catch (IOException e) {
      return otherwise;
    }
  }

  private static String postgresVersion(PostgresConfig postgres) {
    try (Connection connection = TestPostgres.connect(postgres); Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SHOW server_version")) {
      return result.next() ? result.getString(1) : "unknown";
    } catch (SQLException e) {
      return "unreachable: " + e.getMessage();
    }
  }

  static void deleteRecursively(Path directory) throws IOException {
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
