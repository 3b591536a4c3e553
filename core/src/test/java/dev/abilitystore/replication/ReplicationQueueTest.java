package dev.abilitystore.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.Ability;
import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.testing.Abilities;
import dev.abilitystore.testing.MutableClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicationQueueTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir
  Path directory;

  private final MutableClock clock = new MutableClock(START);

  private ReplicationQueue open() {
    return ReplicationQueue.open(directory, 1L << 30, 4096, clock);
  }

  private static List<String> ids(List<QueuedWrite> writes) {
    return writes.stream().map(write -> write.operation() + " " + write.abilityId()).toList();
  }

  private long segmentFiles() throws Exception {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(path -> path.getFileName().toString().startsWith("segment-")).count();
    }
  }

  @Test
  void append_peek_acknowledge_inOrder_withEverythingKept() {
    Ability ability = Abilities.full("github-get-user", 3072).withTimestamps(START, START.plusSeconds(5));
    try (ReplicationQueue queue = open()) {
      List<QueuedWrite> placed = queue.append(List.of(QueuedWrite.upsert(ability), QueuedWrite.delete("old")));
      clock.advance(Duration.ofMinutes(1));
      queue.append(List.of(QueuedWrite.delete("older")));

      assertThat(placed).extracting(QueuedWrite::sequence).containsExactly(0L, 1L);
      assertThat(queue.depth()).isEqualTo(3);
      assertThat(queue.oldestEnqueuedAt()).contains(START);
      List<QueuedWrite> peeked = queue.peek(10);
      assertThat(ids(peeked)).containsExactly("UPSERT github-get-user", "DELETE old", "DELETE older");
      assertThat(peeked.get(0).ability()).isEqualTo(ability);
      assertThat(peeked.get(2).enqueuedAt()).isEqualTo(START.plus(Duration.ofMinutes(1)));

      queue.acknowledge(2);
      assertThat(ids(queue.peek(10))).containsExactly("DELETE older");
      assertThat(queue.oldestEnqueuedAt()).contains(START.plus(Duration.ofMinutes(1)));
      queue.acknowledge(1);
      assertThat(queue.depth()).isZero();
      assertThat(queue.peek(10)).isEmpty();
      assertThat(queue.oldestEnqueuedAt()).isEmpty();
      assertThatThrownBy(() -> queue.acknowledge(1)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void reopen_resumesAfterTheLastAcknowledgedWrite() {
    try (ReplicationQueue queue = open()) {
      for (int i = 0; i < 50; i++) {
        queue.append(List.of(QueuedWrite.delete("id-" + i)));
      }
      queue.acknowledge(20);
    }
    try (ReplicationQueue queue = open()) {
      assertThat(queue.depth()).isEqualTo(30);
      assertThat(queue.peek(1).get(0).abilityId()).isEqualTo("id-20");
      assertThat(queue.append(List.of(QueuedWrite.delete("next"))).get(0).sequence()).isEqualTo(50);
      queue.acknowledge(31);
    }
    try (ReplicationQueue queue = open()) {
      assertThat(queue.depth()).isZero();
      assertThat(queue.append(List.of(QueuedWrite.delete("after"))).get(0).sequence()).isEqualTo(51);
    }
  }

  @Test
  void segments_rollOverAndAreDeletedOnceDelivered() throws Exception {
    try (ReplicationQueue queue = open()) {
      for (int i = 0; i < 40; i++) {
        queue.append(List.of(QueuedWrite.upsert(Abilities.simple("a" + i, "s", false, 16))));
      }
      assertThat(segmentFiles()).isGreaterThan(3);
      queue.acknowledge(40);
      assertThat(segmentFiles()).isZero();
      assertThat(queue.sizeBytes()).isZero();
    }
  }

  @Test
  void torn_lastWrite_isCutOffOnOpen() throws Exception {
    Path last;
    try (ReplicationQueue queue = open()) {
      queue.append(List.of(QueuedWrite.delete("kept-1"), QueuedWrite.delete("kept-2")));
      try (Stream<Path> files = Files.list(directory)) {
        last = files.filter(path -> path.getFileName().toString().startsWith("segment-")).sorted().toList().getLast();
      }
    }
    byte[] record = ReplicationQueue.encode(new QueuedWrite(2, START, QueuedWrite.Operation.DELETE, "torn", null)).array();
    Files.write(last, java.util.Arrays.copyOf(record, record.length / 2), StandardOpenOption.APPEND);

    try (ReplicationQueue queue = open()) {
      assertThat(ids(queue.peek(10))).containsExactly("DELETE kept-1", "DELETE kept-2");
      assertThat(queue.append(List.of(QueuedWrite.delete("after"))).get(0).sequence()).isEqualTo(2);
    }
    try (ReplicationQueue queue = open()) {
      assertThat(ids(queue.peek(10))).containsExactly("DELETE kept-1", "DELETE kept-2", "DELETE after");
    }
  }

  @Test
  void damage_beforeTheLastSegment_isRefusedWithTheFile() throws Exception {
    try (ReplicationQueue queue = open()) {
      for (int i = 0; i < 40; i++) {
        queue.append(List.of(QueuedWrite.upsert(Abilities.simple("a" + i, "s", false, 16))));
      }
    }
    Path first;
    try (Stream<Path> files = Files.list(directory)) {
      first = files.filter(path -> path.getFileName().toString().startsWith("segment-")).sorted().findFirst()
          .orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(first);
    bytes[20] ^= 0x5a;
    Files.write(first, bytes);
    assertThatThrownBy(this::open).isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(first.getFileName().toString()).hasMessageContaining("damaged at offset 0");
  }

  @Test
  void full_refusesTheWholeBatchAndWritesNothing() {
    try (ReplicationQueue queue = ReplicationQueue.open(directory, 2048, 4096, clock)) {
      queue.append(List.of(QueuedWrite.delete("fits")));
      long size = queue.sizeBytes();
      List<QueuedWrite> tooMany = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        tooMany.add(QueuedWrite.delete("more-" + i));
      }
      assertThatThrownBy(() -> queue.append(tooMany))
          .isInstanceOf(ReplicationQueueFullException.class)
          .hasMessageContaining("holds " + size + " bytes (1 writes, oldest from " + START + ")")
          .hasMessageContaining("ABILITYSTORE_QUEUE_MAX_BYTES");
      assertThat(queue.depth()).isOne();
      assertThat(queue.sizeBytes()).isEqualTo(size);
    }
  }

  @Test
  void concurrentAppends_getDistinctContiguousSequencesInFileOrder() throws Exception {
    try (ReplicationQueue queue = open(); ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int writer = w;
        writers.add(pool.submit(() -> {
          for (int i = 0; i < 50; i++) {
            queue.append(List.of(QueuedWrite.delete("w" + writer + "-" + i)));
          }
        }));
      }
      for (Future<?> writer : writers) {
        writer.get();
      }
      List<QueuedWrite> all = queue.peek(1000);
      assertThat(all).hasSize(200);
      assertThat(all).extracting(QueuedWrite::sequence).containsExactlyElementsOf(
          java.util.stream.LongStream.range(0, 200).boxed().toList());
    }
  }

  @Test
  void killDashNine_midAppends_everyAcknowledgedWriteSurvives() throws Exception {
    Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
        System.getProperty("java.class.path"), QueueWriter.class.getName(), directory.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    long acknowledged = -1;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while (acknowledged < 600 && (line = lines.readLine()) != null) {
        acknowledged = Long.parseLong(line.split(" ")[2]);
      }
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(acknowledged).isGreaterThanOrEqualTo(600);
    try (ReplicationQueue queue = open()) {
      assertThat(queue.depth()).isGreaterThan(acknowledged);
      List<QueuedWrite> writes = queue.peek((int) acknowledged + 1);
      for (int i = 0; i <= acknowledged; i++) {
        QueuedWrite write = writes.get(i);
        assertThat(write.sequence()).isEqualTo(i);
        assertThat(write.abilityId()).isEqualTo((i % 2 == 0 ? "q-" : "gone-") + i / 2);
      }
    }
  }
}
