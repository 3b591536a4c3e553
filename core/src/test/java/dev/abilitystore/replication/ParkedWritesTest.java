package dev.abilitystore.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.testing.Abilities;
import dev.abilitystore.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParkedWritesTest {
  @TempDir Path directory;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void park_survivesReopeningWithItsReasonAndTheLatestWriteOfEachAbility() {
    try (ParkedWrites parked = ParkedWrites.open(directory, clock)) {
      parked.park(QueuedWrite.upsert(Abilities.simple("a\tb\nc", "s", false, 4)), "first\treason");
      parked.park(QueuedWrite.delete("x"), "permission denied");
      clock.advance(java.time.Duration.ofSeconds(1));
      parked.park(QueuedWrite.upsert(Abilities.simple("x", "s", false, 4)), "value out of range");
    }
    try (ParkedWrites reopened = ParkedWrites.open(directory, clock)) {
      assertThat(reopened.list()).containsExactly(
          new ParkedWrites.Parked("a\tb\nc", QueuedWrite.Operation.UPSERT, Instant.parse("2026-01-01T00:00:00Z"),
              "first\treason"),
          new ParkedWrites.Parked("x", QueuedWrite.Operation.UPSERT, Instant.parse("2026-01-01T00:00:01Z"),
              "value out of range"));
    }
  }

  @Test
  void resolve_forgetsSettledAbilitiesDurablyAndKeepsAppending() {
    try (ParkedWrites parked = ParkedWrites.open(directory, clock)) {
      parked.park(QueuedWrite.delete("a"), "refused");
      parked.park(QueuedWrite.delete("b"), "refused");

      assertThat(parked.resolve(id -> id.equals("a"))).isOne();
      parked.park(QueuedWrite.delete("c"), "refused");
    }
    try (ParkedWrites reopened = ParkedWrites.open(directory, clock)) {
      assertThat(reopened.list()).extracting(ParkedWrites.Parked::abilityId).containsExactly("b", "c");
      assertThat(reopened.resolve(id -> false)).isZero();
    }
  }

  @Test
  void open_lastLineCutShortByACrash_isCutOffAndLaterParksReadBack() throws Exception {
    try (ParkedWrites parked = ParkedWrites.open(directory, clock)) {
      parked.park(QueuedWrite.delete("a"), "refused");
    }
    Files.writeString(directory.resolve(ParkedWrites.FILE_NAME), "2026-01-01T00:00:00Z\tdelete\tb",
        StandardCharsets.UTF_8, StandardOpenOption.APPEND);

    try (ParkedWrites reopened = ParkedWrites.open(directory, clock)) {
      assertThat(reopened.list()).extracting(ParkedWrites.Parked::abilityId).containsExactly("a");
      reopened.park(QueuedWrite.delete("c"), "refused");
    }
    try (ParkedWrites again = ParkedWrites.open(directory, clock)) {
      assertThat(again.list()).extracting(ParkedWrites.Parked::abilityId).containsExactly("a", "c");
    }
  }

  @Test
  void open_damagedLineBeforeTheLast_isRefusedNamingTheLine() throws Exception {
    Files.writeString(directory.resolve(ParkedWrites.FILE_NAME), "not a parked write\n"
        + "2026-01-01T00:00:00Z\tdelete\tb\trefused\n", StandardCharsets.UTF_8);

    assertThatThrownBy(() -> ParkedWrites.open(directory, clock))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(ParkedWrites.FILE_NAME)
        .hasMessageContaining("line 1");
  }
}
