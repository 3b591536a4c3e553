package dev.abilitystore.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteIntentsTest {
  @TempDir Path directory;

  @Test
  void writesUnderWayWhenTheProcessStopped_areUnsettledAfterReopening() {
    WriteIntents intents = WriteIntents.open(directory);
    intents.record(List.of("a", "b\nc"));
    intents.record(List.of("d"));
    intents.done(List.of("d"));
    // no close: the process was killed

    WriteIntents reopened = WriteIntents.open(directory);
    assertThat(reopened.unsettled()).contains("a", "b\nc");
    reopened.settled(List.of("a", "b\nc", "d"));
    reopened.close();

    try (WriteIntents again = WriteIntents.open(directory)) {
      assertThat(again.unsettled()).isEmpty();
    }
  }

  @Test
  void failedWrites_areUnsettledAtOnce_andFinishedOnesAreForgottenOnClose() {
    try (WriteIntents intents = WriteIntents.open(directory)) {
      intents.record(List.of("ok", "failed"));
      intents.done(List.of("ok"));
      intents.undecided(List.of("failed"));

      assertThat(intents.unsettled()).containsExactly("failed");
    }
    try (WriteIntents reopened = WriteIntents.open(directory)) {
      assertThat(reopened.unsettled()).containsExactly("failed");
    }
  }

  @Test
  void theFileIsCompacted_toTheIdsStillUnderWay() throws Exception {
    try (WriteIntents intents = WriteIntents.open(directory)) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) {
        ids.add("ability-" + i);
        intents.record(List.of("ability-" + i));
        intents.done(List.of("ability-" + i));
      }
      intents.record(List.of("still-under-way"));

      assertThat(Files.size(directory.resolve(WriteIntents.FILE_NAME))).isLessThan(2L * WriteIntents.COMPACT_BYTES);
    }
    try (WriteIntents reopened = WriteIntents.open(directory)) {
      assertThat(reopened.unsettled()).contains("still-under-way").hasSizeLessThan(5_000);
    }
  }

  @Test
  void aLastLineCutShortByACrash_isIgnored() throws Exception {
    WriteIntents intents = WriteIntents.open(directory);
    intents.record(List.of("a"));
    Files.writeString(directory.resolve(WriteIntents.FILE_NAME), "b-cut-sh", StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);

    try (WriteIntents reopened = WriteIntents.open(directory)) {
      assertThat(reopened.unsettled()).containsExactly("a");
    }
  }
}
