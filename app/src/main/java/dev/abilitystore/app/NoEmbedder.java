package dev.abilitystore.app;

import dev.abilitystore.Embedding;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.port.Embedder;
import java.util.List;

/** The embedder of {@code ABILITYSTORE_EMBEDDER=none}: callers bring every vector themselves. */
final class NoEmbedder implements Embedder {
  static final String MODEL = "none";

  private final int dimension;

  NoEmbedder(int dimension) {
    this.dimension = dimension;
  }

  @Override
  public String model() {
    return MODEL;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public List<Embedding> embedDocuments(List<String> texts) {
    throw new InvalidInputException(texts.size() + " abilities have no embedding and " + Settings.EMBEDDER
        + "=none embeds nothing: give each an embedding of " + dimension + " dimensions, or set " + Settings.EMBEDDER
        + "=local");
  }
}
