package dev.abilitystore.lucene;

import dev.abilitystore.testing.Abilities;
import java.nio.file.Path;
import java.util.List;

/**
 * The child process of {@link CrashRecoveryTest}: writes abilities one call at a time and
 * prints {@code ACK <id>} after each call returns, until it is killed.
 */
public final class CrashWriter {
  private CrashWriter() {}

  public static void main(String[] args) {
    Path directory = Path.of(args[0]);
    int dimension = Integer.parseInt(args[1]);
    try (LuceneVectorIndex index = LuceneVectorIndex.open(LuceneConfig.builder(directory, dimension).build())) {
      for (int i = 0; ; i++) {
        String id = "crash-" + i;
        if (i % 10 == 9) {
          index.delete(List.of("crash-" + (i - 5)));
          System.out.println("DELETED crash-" + (i - 5));
        }
        index.upsert(List.of(Abilities.simple(id, "s", i % 2 == 0, dimension)));
        System.out.println("ACK " + id);
        System.out.flush();
      }
    }
  }
}
