package dev.abilitystore.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.testing.Abilities;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer killed with SIGKILL in the middle of a stream of writes loses nothing it acknowledged. */
class CrashRecoveryTest {
  private static final int DIMENSION = 16;
  private static final int TRIALS = 3;

  @TempDir
  Path directory;

  @Test
  void killDashNine_midStream_everyAcknowledgedWriteSurvives() throws Exception {
    SplittableRandom random = new SplittableRandom(20261126);
    Path index = directory.resolve("index");
    for (int trial = 0; trial < TRIALS; trial++) {
      int killAfter = 20 + random.nextInt(200);
      Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
          "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
          CrashWriter.class.getName(), index.toString(), Integer.toString(DIMENSION))
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      Set<String> acknowledged = new HashSet<>();
      Set<String> deleted = new HashSet<>();
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while (acknowledged.size() < killAfter && (line = lines.readLine()) != null) {
          if (line.startsWith("ACK ")) {
            acknowledged.add(line.substring(4));
          } else if (line.startsWith("DELETED ")) {
            deleted.add(line.substring(8));
          }
        }
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(acknowledged).as("trial %d: the child wrote before it was killed", trial).hasSize(killAfter);

      try (LuceneVectorIndex reopened = LuceneVectorIndex.open(LuceneConfig.builder(index, DIMENSION).build())) {
        List<String> missing = new ArrayList<>();
        for (String id : acknowledged) {
          if (!deleted.contains(id)) {
            reopened.get(id).ifPresentOrElse(
                ability -> assertThat(ability.embedding()).isEqualTo(Abilities.vector(id, DIMENSION)),
                () -> missing.add(id));
          }
        }
        assertThat(missing).as("trial %d: acknowledged writes missing after kill -9", trial).isEmpty();
        for (String id : deleted) {
          assertThat(reopened.get(id)).as("trial %d: acknowledged delete of %s", trial, id).isEmpty();
        }
      }
    }
  }
}
