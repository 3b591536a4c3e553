package dev.abilitystore.port;

import static java.util.Objects.requireNonNull;

/**
 * Which embedding model made the vectors a store holds, recorded with the store so that opening
 * it with another model is refused instead of silently mixing incomparable vectors.
 *
 * @param model the embedder's model name, as {@link Embedder#model()} gives it
 * @param dimension the length of its vectors
 */
public record EmbedderStamp(String model, int dimension) {
  public EmbedderStamp {
    requireNonNull(model, "model");
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be positive, was " + dimension);
    }
  }

  /** Returns the stamp of {@code embedder}. */
  public static EmbedderStamp of(Embedder embedder) {
    return new EmbedderStamp(embedder.model(), embedder.dimension());
  }

  @Override
  public String toString() {
    return model + " (" + dimension + " dimensions)";
  }
}
