package dev.abilitystore.replication;

import dev.abilitystore.testing.Abilities;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;

/** The child process of {@link ReplicationQueueTest}'s crash test: appends until killed, printing what was acknowledged. */
public final class QueueWriter {
  private QueueWriter() {}

  public static void main(String[] args) {
    try (ReplicationQueue queue = ReplicationQueue.open(Path.of(args[0]), 1L << 30, 64 * 1024, InstantSource.system())) {
      for (int i = 0; ; i++) {
        List<QueuedWrite> placed = queue.append(List.of(QueuedWrite.upsert(Abilities.simple("q-" + i, "s", false, 8)),
            QueuedWrite.delete("gone-" + i)));
        System.out.println("ACK " + placed.get(0).sequence() + " " + placed.get(1).sequence());
        System.out.flush();
      }
    }
  }
}
