package dev.abilitystore.bench;

import dev.abilitystore.Ability;
import dev.abilitystore.Embedding;
import dev.abilitystore.embed.AbilityText;
import dev.abilitystore.port.Embedder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Document embeddings of a corpus, computed in batches with progress lines and kept in a cache
 * file ({@code java.io.tmpdir/abilitystore-bench-cache}) named by the model, the dimension and a
 * SHA-256 of every text, so that a rerun over the same corpus and model reads them back.
 */
final class CorpusEmbeddings {
  private static final int BATCH = 64;
  private static final Path CACHE = Path.of(System.getProperty("java.io.tmpdir"), "abilitystore-bench-cache");

  private CorpusEmbeddings() {}

  static List<Embedding> of(Embedder embedder, List<Ability> corpus) throws IOException {
    List<String> texts = corpus.stream().map(AbilityText::of).toList();
    Path cached = CACHE.resolve(embedder.model().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + embedder.dimension()
        + "-" + digest(texts) + ".f32");
    if (Files.isRegularFile(cached)) {
      List<Embedding> embeddings = read(cached, texts.size(), embedder.dimension());
      System.out.printf(Locale.ROOT, "quality: %s: %,d document embeddings read from %s%n", embedder.model(),
          embeddings.size(), cached);
      return embeddings;
    }
    List<Embedding> embeddings = new ArrayList<>(texts.size());
    long started = System.nanoTime();
    long lastReport = started;
    for (int from = 0; from < texts.size(); from += BATCH) {
      embeddings.addAll(embedder.embedDocuments(texts.subList(from, Math.min(texts.size(), from + BATCH))));
      long now = System.nanoTime();
      if (now - lastReport > 10_000_000_000L || embeddings.size() == texts.size()) {
        lastReport = now;
        System.out.printf(Locale.ROOT, "quality: %s embedded %,d / %,d documents (%.0f/s)%n", embedder.model(),
            embeddings.size(), texts.size(), embeddings.size() / ((now - started) / 1e9));
      }
    }
    write(cached, embeddings);
    return embeddings;
  }

  private static String digest(List<String> texts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String text : texts) {
        sha.update(text.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Embedding> read(Path file, int count, int dimension) throws IOException {
    List<Embedding> embeddings = new ArrayList<>(count);
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      for (int i = 0; i < count; i++) {
        float[] vector = new float[dimension];
        for (int j = 0; j < dimension; j++) {
          vector[j] = in.readFloat();
        }
        embeddings.add(Embedding.of(vector));
      }
    }
    return embeddings;
  }

  private static void write(Path file, List<Embedding> embeddings) throws IOException {
    Files.createDirectories(file.getParent());
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(partial),
        1 << 16))) {
      for (Embedding embedding : embeddings) {
        for (float value : embedding.toArray()) {
          out.writeFloat(value);
        }
      }
    }
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
