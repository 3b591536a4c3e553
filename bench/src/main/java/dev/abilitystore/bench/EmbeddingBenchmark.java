package dev.abilitystore.bench;

import dev.abilitystore.Ability;
import dev.abilitystore.embed.AbilityText;
import dev.abilitystore.embeddings.OnnxEmbedder;
import dev.abilitystore.sample.SampleCatalogue;
import java.util.ArrayList;
import java.util.List;

/**
 * Embeddings per second of the bundled local model, one text per call and 32 per call, on the
 * texts that stand for the sample catalogue's abilities (and short queries).
 *
 * <p>Run (after {@code ./mvnw -q -DskipTests package}):
 * <pre>java -cp 'bench/target/abilitystore-bench.jar:bench/target/lib/*' dev.abilitystore.bench.EmbeddingBenchmark</pre>
 */
public final class EmbeddingBenchmark {
  private EmbeddingBenchmark() {}

  public static void main(String[] args) {
    List<String> texts = new ArrayList<>();
    for (Ability ability : SampleCatalogue.load()) {
      texts.add(AbilityText.of(ability));
    }
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    try (OnnxEmbedder embedder = new OnnxEmbedder()) {
      long loadStarted = System.nanoTime();
      embedder.embedQuery("warm up");
      double loadMillis = (System.nanoTime() - loadStarted) / 1e6;
      embedder.embedDocuments(texts);
      double averageChars = texts.stream().mapToInt(String::length).average().orElse(0);
      System.out.printf("## Local embedding model (%s, %d dimensions)%n%n", embedder.model(), embedder.dimension());
      System.out.printf("%d ability texts of %.0f characters on average, %d rounds; Java %s, %d cores; first call "
          + "(model load) %.0f ms.%n%n", texts.size(), averageChars, rounds, Runtime.version(),
          Runtime.getRuntime().availableProcessors(), loadMillis);
      System.out.println("| how | embeddings/s | ms per embedding |");
      System.out.println("|---|---|---|");
      row("documents, batch 1", texts.size() * rounds, () -> {
        for (int r = 0; r < rounds; r++) {
          texts.forEach(text -> embedder.embedDocuments(List.of(text)));
        }
      });
      row("documents, batch 32", texts.size() * rounds, () -> {
        for (int r = 0; r < rounds; r++) {
          for (int start = 0; start < texts.size(); start += 32) {
            embedder.embedDocuments(texts.subList(start, Math.min(texts.size(), start + 32)));
          }
        }
      });
      List<String> queries = List.of("get a GitHub user's profile", "send a message to a Slack channel",
          "weather forecast for tomorrow in Paris", "create a payment", "list my Spotify playlists");
      row("short queries, batch 1", queries.size() * rounds * 10, () -> {
        for (int r = 0; r < rounds * 10; r++) {
          queries.forEach(embedder::embedQuery);
        }
      });
    }
  }

  private static void row(String name, int count, Runnable work) {
    long started = System.nanoTime();
    work.run();
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("| %s | %,.1f | %.1f |%n", name, count / seconds, seconds * 1000 / count);
  }
}
