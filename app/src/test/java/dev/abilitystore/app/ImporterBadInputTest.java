package dev.abilitystore.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.AbilityStore;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.fuzz.StoreFingerprint;
import dev.abilitystore.postgres.testing.PostgresDatabase;
import dev.abilitystore.testing.Abilities;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Regression tests of the importer's bad-input suite: each a file it once got wrong. */
class ImporterBadInputTest {
  private static final int DIMENSION = ImportFuzzTest.DIMENSION;

  @RegisterExtension static final PostgresDatabase database = new PostgresDatabase();
  @TempDir static Path directory;
  private static AbilityStore store;

  @BeforeAll
  static void open() {
    store = ImportFuzzTest.openStore(directory.resolve("store"), database.config());
    store.store(Abilities.catalogue(DIMENSION));
  }

  @AfterAll
  static void close() {
    store.close();
  }

  /**
   * A record valid as written but not once its credentials are redacted (the redactor adds the
   * credential header to 64 dynamic header keys, one more than allowed) was found only when its
   * batch was written: the batches before it were imported, and the import then failed.
   */
  @Test
  void recordInvalidOnlyOnceRedacted_isRefusedBeforeAnythingIsWritten() throws IOException {
    String keys = IntStream.range(0, 64).mapToObj(i -> "\"h" + i + ".example::k\"").collect(Collectors.joining(","));
    String lines = IntStream.range(0, 3).mapToObj(i -> ability("redaction-ok-" + i, "")).collect(Collectors.joining("\n"))
        + "\n" + ability("redaction-bad", ", \"dynamic_header_keys\": [" + keys + "], \"metadata\": {\"request_url\": "
        + "\"https://api.leaky.example/x\", \"static_headers\": {\"Authorization\": \"Bearer sk_live_abcdefghijklmnop1234\"}}")
        + "\n";
    Path file = Files.writeString(directory.resolve("redaction.jsonl"), lines);
    StoreFingerprint before = StoreFingerprint.of(store);

    assertThatThrownBy(() -> importer(1).run(List.of(ImportSource.file(file)), false))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("nothing was imported")
        .hasMessageContaining(file + ":4 ")
        .hasMessageContaining("dynamic_header_keys");

    assertThat(StoreFingerprint.of(store).differenceFrom(before)).as("what the refused import changed").isEmpty();
  }

  /**
   * A file that Jackson takes for UTF-32 but holds no UTF-32 text (a code point beyond U+10FFFF)
   * made the importer fail with an UncheckedIOException (exit code 1) instead of refusing it.
   */
  @Test
  void fileThatIsNoUnicodeText_isRefusedNamingIt() throws IOException {
    Path file = notUnicode("utf32.jsonl");
    StoreFingerprint before = StoreFingerprint.of(store);

    assertThatThrownBy(() -> importer(10).run(List.of(ImportSource.file(file)), false))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("nothing was imported")
        .hasMessageContaining(file + ":")
        .hasMessageContaining("Unicode");

    assertThat(StoreFingerprint.of(store).differenceFrom(before)).isEmpty();
  }

  /** Through the command: exit code 3, not 1, for the same file, and a message naming it. */
  @Test
  void fileThatIsNoUnicodeText_throughTheCommand_exitsWith3() throws IOException {
    Path file = notUnicode("utf32-command.jsonl");

    ImportFuzzTest.Run run = ImportFuzzTest.run(java.util.Map.of("ABILITYSTORE_DATA_DIR",
        directory.resolve("command-data").toString(), "ABILITYSTORE_EMBEDDER", "hashing", "ABILITYSTORE_DIMENSION",
        Integer.toString(DIMENSION)), "import", file.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
    assertThat(run.err()).contains(file + ":1 ", "not text in a Unicode encoding", "nothing was imported")
        .doesNotContain("UncheckedIOException");
  }

  /** A file that Jackson takes for UTF-32 and that holds a code point beyond U+10FFFF. */
  private static Path notUnicode(String name) throws IOException {
    byte[] utf32 = "{\"ability_id\": \"".getBytes(Charset.forName("UTF-32BE"));
    byte[] content = new byte[utf32.length + 4];
    System.arraycopy(utf32, 0, content, 0, utf32.length);
    content[utf32.length + 1] = 0x11;
    return Files.write(directory.resolve(name), content);
  }

  private static Importer importer(int batchSize) {
    return new Importer(store, batchSize, new PrintStream(OutputStream.nullOutputStream()));
  }

  private static String ability(String id, String more) {
    return "{\"ability_id\": \"" + id + "\", \"ability_name\": \"Name\", \"service_name\": \"leaky\", "
        + "\"description\": \"Does " + id + "\"" + more + "}";
  }
}
