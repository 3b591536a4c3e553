package dev.abilitystore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.Ability;
import dev.abilitystore.identity.ContentHash;
import dev.abilitystore.port.PrimaryWrite;
import dev.abilitystore.port.UpsertReport;
import dev.abilitystore.port.WriteOutcome;
import dev.abilitystore.postgres.testing.PostgresDatabase;
import dev.abilitystore.postgres.testing.TestPostgres;
import dev.abilitystore.testing.Abilities;
import dev.abilitystore.testing.MutableClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bulk path of {@link PostgresRecordStore#upsert} (a {@code COPY} of the new rows, batches of
 * {@value PostgresRecordStore#COPY_BATCH} or more) writes exactly what the one-statement path
 * writes, and {@link PostgresRecordStore#upsertAfter} commits only after the primary succeeded.
 */
class PostgresBulkUpsertTest {
  @RegisterExtension
  static final PostgresDatabase database = new PostgresDatabase();

  private static final int DIMENSION = 16;
  private static final int BATCH = 2 * PostgresRecordStore.COPY_BATCH;
  private static final String ROWS = "SELECT ability_id, vector_id, ability_name, service_name, description, "
      + "embedding::text, dynamic_header_keys::text, dynamic_headers_required, metadata::text, created_at, "
      + "updated_at, content_hash FROM abilities ORDER BY ability_id COLLATE \"C\"";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private PostgresRecordStore store;

  @BeforeEach
  void open() {
    store = PostgresRecordStore.open(database.config(), clock);
    database.execute("TRUNCATE abilities");
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** Abilities whose every text column holds what COPY's text format must escape, and more. */
  private static List<Ability> awkward(int from, int to) {
    List<Ability> abilities = new ArrayList<>();
    for (int i = from; i < to; i++) {
      Ability full = Abilities.full(String.format("ability-%03d", i), DIMENSION);
      abilities.add(full.toBuilder()
          .name("Name \\ with\ta tab, a \\N and \"quotes\" " + i)
          .service(i % 2 == 0 ? "github" : "Open Meteo")
          .description("Line one\r\nline two\\nnot a new line\t\u00fcn\u00efc\u00f6d\u00e9 \ud83d\ude80 " + i)
          .dynamicHeaderKeys(i % 3 == 0 ? List.of() : List.of("api.example.com::authorization"))
          .metadata(Map.of("path", "C:\\temp\\new", "tab", "a\tb", "line", "a\nb", "number", i, "nested",
              Map.of("list", List.of(1.5, "\\N", true))))
          .build());
    }
    return abilities;
  }

  private static List<List<String>> rows() throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    try (Connection connection = TestPostgres.connect(database.config());
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(ROWS)) {
      int columns = row.getMetaData().getColumnCount();
      while (row.next()) {
        List<String> values = new ArrayList<>();
        for (int column = 1; column <= columns; column++) {
          values.add(row.getString(column));
        }
        rows.add(values);
      }
    }
    return rows;
  }

  private void oneAtATime(List<Ability> abilities) {
    for (Ability ability : abilities) {
      store.upsert(List.of(ability));
    }
  }

  @Test
  void upsert_largeBatch_writesTheSameRowsAsOneAbilityAtATime() throws SQLException {
    List<Ability> abilities = awkward(0, BATCH);
    oneAtATime(abilities);
    List<List<String>> expected = rows();
    database.execute("TRUNCATE abilities");

    UpsertReport report = store.upsert(abilities);

    assertThat(report.inserted()).isEqualTo(BATCH);
    assertThat(rows()).isEqualTo(expected);
    for (Ability ability : abilities) {
      assertThat(ContentHash.of(store.get(ability.abilityId()).orElseThrow())).isEqualTo(ContentHash.of(ability));
    }
  }

  @Test
  void upsert_largeBatchOverExistingRows_reportsAndWritesWhatOneAtATimeDoes() throws SQLException {
    List<Ability> existing = awkward(0, BATCH / 2);
    List<Ability> batch = new ArrayList<>(awkward(0, BATCH / 4));
    for (Ability ability : awkward(BATCH / 4, BATCH / 2)) {
      batch.add(ability.toBuilder().description("changed " + ability.abilityId()).build());
    }
    batch.addAll(awkward(BATCH / 2, BATCH));
    oneAtATime(existing);
    clock.advance(Duration.ofHours(1));
    oneAtATime(batch);
    List<List<String>> expected = rows();
    database.execute("TRUNCATE abilities");
    clock.advance(Duration.ofHours(-1));
    oneAtATime(existing);
    clock.advance(Duration.ofHours(1));
    long unchangedVersion = database.queryLong("SELECT xmin::text::bigint FROM abilities WHERE ability_id = 'ability-000'");

    UpsertReport report = store.upsert(batch);

    assertThat(report.unchanged()).isEqualTo(BATCH / 4);
    assertThat(report.updated()).isEqualTo(BATCH / 4);
    assertThat(report.inserted()).isEqualTo(BATCH / 2);
    assertThat(report.outcomes().keySet()).containsExactlyElementsOf(batch.stream().map(Ability::abilityId).toList());
    assertThat(report.outcomes()).containsEntry("ability-000", WriteOutcome.UNCHANGED)
        .containsEntry(String.format("ability-%03d", BATCH / 4), WriteOutcome.UPDATED)
        .containsEntry(String.format("ability-%03d", BATCH - 1), WriteOutcome.INSERTED);
    assertThat(rows()).isEqualTo(expected);
    assertThat(database.queryLong("SELECT xmin::text::bigint FROM abilities WHERE ability_id = 'ability-000'"))
        .isEqualTo(unchangedVersion);
  }

  @Test
  @Timeout(30)
  void upsert_largeBatch_aNewIdInsertedMeanwhileByAnotherWriter_isUpdatedInstead() throws Exception {
    List<Ability> batch = awkward(0, BATCH);
    Ability contested = batch.get(BATCH - 1);
    try (Connection other = TestPostgres.connect(database.config())) {
      other.setAutoCommit(false);
      try (Statement statement = other.createStatement()) {
        statement.execute("INSERT INTO abilities (ability_id, vector_id, ability_name, service_name, description, "
            + "embedding) VALUES ('" + contested.abilityId() + "', 1, 'other', 'other', 'other', '[1]')");
      }
      CompletableFuture<UpsertReport> upsert = CompletableFuture.supplyAsync(() -> store.upsert(batch));
      awaitSomeoneWaitingForALock();
      other.commit();

      UpsertReport report = upsert.get(20, TimeUnit.SECONDS);

      assertThat(report.outcomes()).containsEntry(contested.abilityId(), WriteOutcome.UPDATED);
      assertThat(report.inserted()).isEqualTo(BATCH - 1);
    }
    assertThat(database.queryLong("SELECT count(*) FROM abilities")).isEqualTo(BATCH);
    assertThat(store.get(contested.abilityId()).orElseThrow().description()).isEqualTo(contested.description());
  }

  private static void awaitSomeoneWaitingForALock() throws InterruptedException {
    String waiting = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        + "AND wait_event_type = 'Lock'";
    while (database.queryLong(waiting) == 0) {
      Thread.sleep(10);
    }
  }

  @Test
  void upsertAfter_primaryFailed_rollsBackAndWritesNothing() {
    Optional<UpsertReport> large = store.upsertAfter(awkward(0, BATCH), () -> false);
    Optional<UpsertReport> small = store.upsertAfter(awkward(BATCH, BATCH + 1), () -> false);

    assertThat(large).isEmpty();
    assertThat(small).isEmpty();
    assertThat(database.queryLong("SELECT count(*) FROM abilities")).isZero();
  }

  @Test
  @Timeout(30)
  void upsertAfter_rowsAreInvisibleUntilThePrimarySucceeded() throws Exception {
    CountDownLatch prepared = new CountDownLatch(1);
    CountDownLatch primaryDone = new CountDownLatch(1);
    PrimaryWrite primary = () -> {
      prepared.countDown();
      try {
        primaryDone.await();
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    };
    CompletableFuture<Optional<UpsertReport>> upsert =
        CompletableFuture.supplyAsync(() -> store.upsertAfter(awkward(0, BATCH), primary));

    prepared.await();
    assertThat(database.queryLong("SELECT count(*) FROM abilities")).isZero();
    primaryDone.countDown();

    assertThat(upsert.get(20, TimeUnit.SECONDS).orElseThrow().inserted()).isEqualTo(BATCH);
    assertThat(database.queryLong("SELECT count(*) FROM abilities")).isEqualTo(BATCH);
  }
}
