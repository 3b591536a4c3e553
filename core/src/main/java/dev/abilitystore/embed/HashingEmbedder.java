package dev.abilitystore.embed;

import dev.abilitystore.Embedding;
import dev.abilitystore.port.Embedder;
import dev.abilitystore.validation.Limits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A lexical embedder that needs no model: the feature-hashing trick over the lower-cased word
 * tokens of a text (camelCase, {@code snake_case} and host names split), each token hashed to a
 * signed component, the vector L2-normalised.
 *
 * <p>Texts that share words get similar vectors, so it finds "get a GitHub user" among GitHub
 * abilities, but it knows no synonyms: it is a baseline and a deterministic stand-in for tests,
 * not a language model. Immutable and thread-safe.
 */
public final class HashingEmbedder implements Embedder {
  private final int dimension;

  /** Returns an embedder of {@code dimension} components. */
  public HashingEmbedder(int dimension) {
    if (dimension < 1 || dimension > Limits.MAX_DIMENSION) {
      throw new IllegalArgumentException("dimension must be between 1 and " + Limits.MAX_DIMENSION + ", was "
          + dimension);
    }
    this.dimension = dimension;
  }

  @Override
  public String model() {
    return "hashing-v1";
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public List<Embedding> embedDocuments(List<String> texts) {
    List<Embedding> embeddings = new ArrayList<>(texts.size());
    for (String text : texts) {
      embeddings.add(embed(text));
    }
    return embeddings;
  }

  private Embedding embed(String text) {
    float[] vector = new float[dimension];
    List<String> tokens = tokens(text);
    if (tokens.isEmpty()) {
      tokens = List.of("\u0000empty");
    }
    for (String token : tokens) {
      int hash = murmur3(token.getBytes(StandardCharsets.UTF_8));
      int component = Math.floorMod(hash, dimension);
      vector[component] += (hash & 0x8000_0000) == 0 ? 1f : -1f;
    }
    double norm = 0;
    for (float value : vector) {
      norm += value * value;
    }
    if (norm == 0) {
      // Every token cancelled out; fall back to the first token alone so the vector has a direction.
      int hash = murmur3(tokens.get(0).getBytes(StandardCharsets.UTF_8));
      vector[Math.floorMod(hash, dimension)] = 1f;
      norm = 1;
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < dimension; i++) {
      vector[i] *= scale;
    }
    return Embedding.of(vector);
  }

  static List<String> tokens(String text) {
    String split = text.replaceAll("([a-z0-9])([A-Z])", "$1 $2");
    List<String> tokens = new ArrayList<>();
    for (String token : split.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!token.isEmpty()) {
        tokens.add(token);
      }
    }
    return tokens;
  }

  /** MurmurHash3 (x86, 32-bit, seed 0): a fast, well-spread hash with a fixed definition. */
  static int murmur3(byte[] data) {
    int hash = 0;
    int blocks = data.length / 4;
    for (int i = 0; i < blocks; i++) {
      int k = (data[i * 4] & 0xff) | ((data[i * 4 + 1] & 0xff) << 8) | ((data[i * 4 + 2] & 0xff) << 16)
          | ((data[i * 4 + 3] & 0xff) << 24);
      hash ^= mixK(k);
      hash = Integer.rotateLeft(hash, 13) * 5 + 0xe6546b64;
    }
    int remaining = data.length & 3;
    if (remaining > 0) {
      int tail = 0;
      for (int i = remaining - 1; i >= 0; i--) {
        tail = (tail << 8) | (data[blocks * 4 + i] & 0xff);
      }
      hash ^= mixK(tail);
    }
    hash ^= data.length;
    hash ^= hash >>> 16;
    hash *= 0x85ebca6b;
    hash ^= hash >>> 13;
    hash *= 0xc2b2ae35;
    return hash ^ (hash >>> 16);
  }

  private static int mixK(int k) {
    return Integer.rotateLeft(k * 0xcc9e2d51, 15) * 0x1b873593;
  }
}
