package dev.abilitystore.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.InvalidInputException;
import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.testing.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TombstonesTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir
  Path directory;

  private final MutableClock clock = new MutableClock(T0);
  private Tombstones tombstones;

  @BeforeEach
  void open() {
    tombstones = Tombstones.open(directory, clock);
  }

  @AfterEach
  void close() {
    tombstones.close();
  }

  private void reopen() {
    tombstones.close();
    tombstones = Tombstones.open(directory, clock);
  }

  private List<String> lines() throws IOException {
    return Files.readAllLines(directory.resolve(Tombstones.FILE_NAME));
  }

  @Test
  void record_survivesReopen() {
    tombstones.record(List.of("github-get-user", "stripe-list-prices"), T0);
    reopen();
    assertThat(tombstones.deletedAt("github-get-user")).contains(T0);
    assertThat(tombstones.deletedAt("stripe-list-prices")).contains(T0);
    assertThat(tombstones.deletedAt("never-deleted")).isEmpty();
  }

  @Test
  void record_keepsTheLaterDeletion() {
    tombstones.record(List.of("a"), T0.plusSeconds(60));
    tombstones.record(List.of("a"), T0);
    assertThat(tombstones.deletedAt("a")).contains(T0.plusSeconds(60));
    reopen();
    assertThat(tombstones.deletedAt("a")).contains(T0.plusSeconds(60));
  }

  @Test
  void forget_cancelsTheTombstoneDurably() {
    tombstones.record(List.of("a", "b"), T0);
    tombstones.forget(List.of("a"));
    assertThat(tombstones.deletedAt("a")).isEmpty();
    reopen();
    assertThat(tombstones.deletedAt("a")).isEmpty();
    assertThat(tombstones.deletedAt("b")).contains(T0);
  }

  @Test
  void forget_idsWithoutTombstones_writesNothing() throws IOException {
    tombstones.record(List.of("a"), T0);
    long size = Files.size(tombstones.file());
    tombstones.forget(List.of("b", "c"));
    assertThat(Files.size(tombstones.file())).isEqualTo(size);
  }

  @Test
  void record_unusualIds_roundTrip() {
    List<String> ids = List.of("a%20b", "x+y", "é😀", "tab\tand\nnewline", "ünïcödé/slash?q=1");
    tombstones.record(ids, T0);
    reopen();
    for (String id : ids) {
      assertThat(tombstones.deletedAt(id)).as(id).contains(T0);
    }
    assertThat(tombstones.size()).isEqualTo(ids.size());
  }

  @Test
  void deletedAt_pastRetention_isEmptyWithoutReopening() {
    tombstones.record(List.of("a"), T0);
    clock.advance(Tombstones.DEFAULT_RETENTION.plusSeconds(1));
    assertThat(tombstones.deletedAt("a")).isEmpty();
  }

  @Test
  void open_dropsTombstonesPastRetention_andCompactsTheFile() throws IOException {
    tombstones.record(List.of("old"), T0);
    tombstones.record(List.of("recent"), T0.plus(Duration.ofDays(20)));
    tombstones.record(List.of("forgotten"), T0.plus(Duration.ofDays(20)));
    tombstones.forget(List.of("forgotten"));
    assertThat(lines()).hasSize(4);

    clock.advance(Duration.ofDays(31));
    reopen();

    assertThat(tombstones.deletedAt("old")).isEmpty();
    assertThat(tombstones.deletedAt("recent")).contains(T0.plus(Duration.ofDays(20)));
    assertThat(tombstones.size()).isOne();
    assertThat(lines()).hasSize(1);
    assertThat(directory.resolve(Tombstones.FILE_NAME + ".tmp")).doesNotExist();
  }

  @Test
  void open_withRetention_usesIt() {
    tombstones.close();
    tombstones = Tombstones.open(directory, Duration.ofHours(1), clock);
    tombstones.record(List.of("a"), T0);
    clock.advance(Duration.ofMinutes(61));
    assertThat(tombstones.deletedAt("a")).isEmpty();
    assertThat(tombstones.retention()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void open_tornLastLine_isIgnoredAndLaterRecordsStillRead() throws IOException {
    tombstones.record(List.of("a"), T0);
    tombstones.close();
    Files.write(directory.resolve(Tombstones.FILE_NAME), "D\t2026-01-0".getBytes(StandardCharsets.US_ASCII),
        StandardOpenOption.APPEND);

    tombstones = Tombstones.open(directory, clock);
    assertThat(tombstones.deletedAt("a")).contains(T0);
    assertThat(tombstones.size()).isOne();
    tombstones.record(List.of("b"), T0);
    reopen();
    assertThat(tombstones.deletedAt("a")).contains(T0);
    assertThat(tombstones.deletedAt("b")).contains(T0);
  }

  @Test
  void open_damagedCompleteLine_isRefusedWithItsNumber() throws IOException {
    tombstones.record(List.of("a"), T0);
    tombstones.close();
    Files.write(directory.resolve(Tombstones.FILE_NAME), "D\tnot-a-time\tb\n".getBytes(StandardCharsets.US_ASCII),
        StandardOpenOption.APPEND);

    assertThatThrownBy(() -> Tombstones.open(directory, clock))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("damaged at line 2");
    tombstones = Tombstones.open(directory.resolve("elsewhere"), clock);
  }

  @Test
  void open_nonPositiveRetention_isRefused() {
    assertThatThrownBy(() -> Tombstones.open(directory, Duration.ZERO, clock))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("retention must be positive");
  }

  @Test
  void closed_refusesWork() {
    tombstones.close();
    assertThatThrownBy(() -> tombstones.record(List.of("a"), T0)).isInstanceOf(IllegalStateException.class);
  }
}
