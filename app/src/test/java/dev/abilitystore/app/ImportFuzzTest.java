package dev.abilitystore.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.fuzz.TestStores;
import dev.abilitystore.fuzz.FuzzSettings;
import dev.abilitystore.fuzz.FuzzSummary;
import dev.abilitystore.fuzz.JsonText;
import dev.abilitystore.fuzz.RoundTrip;
import dev.abilitystore.fuzz.StoreFingerprint;
import dev.abilitystore.fuzz.Verdict;
import dev.abilitystore.postgres.PostgresConfig;
import dev.abilitystore.postgres.testing.PostgresDatabase;
import dev.abilitystore.testing.Abilities;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The importer's bad-input suite (issue 9): files of every shape the importer reads, with
 * malformed and truncated JSON, deep nesting, huge strings, wrong types, NaN and Infinity,
 * dimensions off by one, Unicode edge cases, control characters and path separators in ids, SQL
 * and Lucene syntax, fields dropped, repeated and unknown, flipped bytes and other encodings.
 * Every invalid file is refused with a message naming its file, line and field, and nothing is
 * written to either store (the importer validates everything before it writes; a file whose
 * last record is bad is written in several batches otherwise, so a partial write would show);
 * every valid one is imported exactly, in both stores. Over Lucene and PostgreSQL, through
 * {@link Importer}; a sample of the invalid files also through {@code abilitystore import}, which
 * must exit with code 3 and leave its stores empty.
 *
 * <p>{@code -Dfuzz.seed=N}, {@code -Dfuzz.inputs=N} files (default {@value #DEFAULT_INPUTS}),
 * {@code -Dfuzz.only=N}; counts per category go to standard output and to
 * {@code target/fuzz-summary.json}.
 */
class ImportFuzzTest {
  static final int DIMENSION = 32;
  static final int DEFAULT_INPUTS = 300;
  static final String REPRODUCE = "./mvnw -B -ntp verify -pl app -Dtest=ImportFuzzTest";
  private static final int MAX_FAILURES_SHOWN = 30;
  /** The numbers of the files tried through the command start here; those of the others below. */
  static final long COMMAND_FILES = 2_000_000_000L;

  @RegisterExtension static final PostgresDatabase database = new PostgresDatabase();
  @RegisterExtension static final PostgresDatabase cliDatabase = new PostgresDatabase();
  @TempDir static Path directory;
  private static final FuzzSettings settings = FuzzSettings.fromSystemProperties(DEFAULT_INPUTS);
  private static final List<FuzzSummary> summaries = new ArrayList<>();

  private final List<String> failures = new ArrayList<>();
  private @Nullable FuzzSummary summary;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "import-fuzz");
    thread.setDaemon(true);
    return thread;
  });

  @Test
  void badFiles_areRefusedNamingLineAndField_andWriteNothing_validOnesRoundTrip() throws IOException {
    FuzzSummary summary = startSummary("importer lucene+postgres");
    Files.createDirectories(directory.resolve("files"));
    try (AbilityStore store = openStore(directory.resolve("store"), database.config())) {
      store.store(Abilities.catalogue(DIMENSION));
      StoreFingerprint baseline = StoreFingerprint.of(store);
      ImportFiles files = new ImportFiles(DIMENSION);
      summary.start();
      for (long number : settings.numbers(0, settings.inputs(), COMMAND_FILES).toArray()) {
        ImportFiles.ImportFile file = files.generate(number, settings.random(number));
        if (!tryImport(store, file, baseline, summary)) {
          break;
        }
      }
    } finally {
      executor.shutdownNow();
    }
    summary.finish();
    System.out.println(summary.line());
    assertThat(failures).as("%d of %d files failed; the first %d:%n%s", summary.failures(), summary.inputs(),
        failures.size(), String.join("\n\n", failures)).isEmpty();
  }

  /** Imports one file and holds the outcome to the model; false when the suite cannot go on (a hang). */
  private boolean tryImport(AbilityStore store, ImportFiles.ImportFile file, StoreFingerprint baseline,
      FuzzSummary summary) throws IOException {
    Path path = directory.resolve("files").resolve("input-" + file.number() + "." + file.extension());
    Files.write(path, file.content());
    int batchSize = 1 + (int) (file.number() % 4);
    Importer importer = new Importer(store, batchSize, new PrintStream(OutputStream.nullOutputStream()));
    Future<ImportReport> run = executor.submit(() -> importer.run(List.of(ImportSource.file(path)), false));
    ImportReport report = null;
    Throwable refused = null;
    try {
      report = run.get(settings.timeout().toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      summary.count(file.category(), "hang");
      fail(file, path, "no outcome within " + settings.timeout().toSeconds() + " s (a hang)");
      run.cancel(true);
      return false;
    } catch (ExecutionException e) {
      refused = e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    StoreFingerprint after = StoreFingerprint.of(store);
    String changed = after.differenceFrom(baseline);
    Verdict verdict = file.verdict();
    if (refused != null) {
      summary.count(file.category(), refused instanceof InvalidInputException ? "refused" : "crashed");
      if (!(refused instanceof InvalidInputException)) {
        fail(file, path, "the importer failed with " + stackTrace(refused) + " rather than refusing the file");
      } else if (verdict.isValid()) {
        fail(file, path, "a valid file was refused: " + refused.getMessage());
      } else {
        checkMessage(file, path, refused.getMessage());
      }
      if (!changed.isEmpty()) {
        fail(file, path, "a refused file changed the stores (a partial import): " + changed);
        restore(store, baseline);
      }
      return true;
    }
    summary.count(file.category(), "imported");
    if (verdict.kind() == Verdict.Kind.INVALID) {
      fail(file, path, "an invalid file was imported: " + report.read() + " abilities");
    }
    Map<String, ObjectNode> last = new LinkedHashMap<>();
    file.records().forEach(record -> last.put(record.path("ability_id").asText(), record));
    if (verdict.isValid()) {
      if (report.read() != file.records().size()) {
        fail(file, path, "read " + report.read() + " abilities of " + file.records().size());
      }
      for (ObjectNode record : last.values()) {
        String difference = RoundTrip.difference(store, record);
        if (difference != null) {
          fail(file, path, "an imported ability did not round-trip: " + difference);
        }
      }
    }
    List<String> added = new ArrayList<>(after.ids());
    added.removeAll(baseline.ids());
    if (!added.isEmpty()) {
      store.delete(added);
    }
    String left = StoreFingerprint.of(store).differenceFrom(baseline);
    if (!left.isEmpty()) {
      fail(file, path, "the import changed abilities it did not hold: " + left);
      restore(store, baseline);
    }
    return true;
  }

  /** The refusal names the file and the line of the first problem, and a field at fault when the model knows them. */
  private void checkMessage(ImportFiles.ImportFile file, Path path, @Nullable String message) {
    String text = message == null ? "" : message;
    if (!text.contains("nothing was imported")) {
      fail(file, path, "the refusal does not say that nothing was imported: " + text);
    }
    if (!text.contains(path + ":")) {
      fail(file, path, "the refusal does not name the file with a line: " + text);
    }
    ImportFiles.Problem first = file.first();
    if (first != null && first.line() > 0 && !text.contains(path + ":" + first.line() + " ")) {
      fail(file, path, "the refusal does not name line " + first.line() + " of the first problem: " + text);
    }
    if (first != null && !first.fields().isEmpty() && first.fields().stream().noneMatch(text::contains)) {
      fail(file, path, "the refusal names none of the fields at fault " + first.fields() + ": " + text);
    }
  }

  private static void restore(AbilityStore store, StoreFingerprint baseline) {
    List<String> extra = new ArrayList<>(StoreFingerprint.of(store).ids());
    extra.removeAll(baseline.ids());
    if (!extra.isEmpty()) {
      store.delete(extra);
    }
    store.store(Abilities.catalogue(DIMENSION));
  }

  /** Starts the summary of this test's suite, written with the others when the class ends. */
  private FuzzSummary startSummary(String suite) {
    FuzzSummary summary = new FuzzSummary(suite, settings.seed());
    this.summary = summary;
    synchronized (summaries) {
      summaries.add(summary);
    }
    return summary;
  }

  /** A sample of the invalid files through {@code abilitystore import}: exit code 3, a clear message, empty stores. */
  @Test
  void badFiles_throughTheCommand_exitWith3_andWriteNothing() throws IOException {
    FuzzSummary summary = startSummary("importer command");
    Path data = directory.resolve("cli-data");
    Path files = Files.createDirectories(directory.resolve("cli-files"));
    PostgresConfig postgres = cliDatabase.config();
    Map<String, String> environment = Map.of(
        "DATABASE_URL", postgres.jdbcUrl() + (postgres.user() == null ? "" : "?user=" + postgres.user()),
        "ABILITYSTORE_DATA_DIR", data.toString(),
        "ABILITYSTORE_EMBEDDER", "hashing",
        "ABILITYSTORE_DIMENSION", Integer.toString(DIMENSION));
    ImportFiles generator = new ImportFiles(DIMENSION);
    int wanted = Math.max(6, settings.inputs() / 50);
    summary.start();
    int tried = 0;
    for (long number : settings.numbers(COMMAND_FILES, 50L * wanted, COMMAND_FILES).toArray()) {
      if (tried >= wanted) {
        break;
      }
      ImportFiles.ImportFile file = generator.generate(number, settings.random(number));
      if (file.verdict().kind() != Verdict.Kind.INVALID) {
        continue;
      }
      tried++;
      Path path = files.resolve("input-" + number + "." + file.extension());
      Files.write(path, file.content());
      Run run = run(environment, "import", "--batch-size", "1", path.toString());
      summary.count(file.category(), "exit-" + run.exitCode());
      if (run.exitCode() != 3 || !run.err().contains("abilitystore: ") || !run.err().contains(path + ":")
          || !run.err().contains("nothing was imported")) {
        fail(file, path, "abilitystore import exited " + run.exitCode() + " saying: " + run.err());
      }
    }
    Run query = run(environment, "query", "--all", "--json");
    assertThat(query.exitCode()).as(query.err()).isZero();
    assertThat(query.out()).as("abilities in the command's index (query --all --json: JSON Lines)").isBlank();
    assertThat(cliDatabase.queryLong("SELECT count(*) FROM abilities")).as("rows in PostgreSQL").isZero();
    summary.finish();
    System.out.println(summary.line());
    assertThat(failures).as("%d of %d files failed; the first %d:%n%s", summary.failures(), summary.inputs(),
        failures.size(), String.join("\n\n", failures)).isEmpty();
    assertThat(tried).as("invalid files tried").isGreaterThanOrEqualTo(settings.single() ? 0 : 6);
  }

  record Run(int exitCode, String out, String err) {}

  static synchronized Run run(Map<String, String> environment, String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream capturedOut = new ByteArrayOutputStream();
    ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(capturedOut, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
      int exitCode = Main.run(environment, args);
      return new Run(exitCode, capturedOut.toString(StandardCharsets.UTF_8), capturedErr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  static AbilityStore openStore(Path dataDirectory, PostgresConfig postgres) {
    return TestStores.luceneAndPostgres(dataDirectory, postgres, DIMENSION).builder().build();
  }


  private void fail(ImportFiles.ImportFile file, Path path, String problem) {
    if (summary != null) {
      summary.failed();
    }
    if (failures.size() >= MAX_FAILURES_SHOWN) {
      return;
    }
    failures.add("seed=" + settings.seed() + " file #" + file.number() + " (" + file.category() + ") " + path
        + ": " + problem + "\n  verdict: " + file.verdict() + "\n  file: " + ImportFiles.describe(file)
        + "\n  reproduce: " + settings.reproduce(REPRODUCE, file.number()));
  }

  private static String stackTrace(Throwable thrown) {
    StringBuilder text = new StringBuilder(thrown.toString());
    StackTraceElement[] trace = thrown.getStackTrace();
    for (int i = 0; i < Math.min(8, trace.length); i++) {
      text.append("\n      at ").append(trace[i]);
    }
    if (thrown.getCause() != null) {
      text.append("\n    caused by ").append(thrown.getCause());
    }
    return JsonText.preview(JsonText.utf8(text.toString()), 3000);
  }

  @AfterAll
  static void writeSummary() {
    if (!summaries.isEmpty()) {
      FuzzSummary.write(Path.of("target", "fuzz-summary.json"), summaries);
    }
  }
}
