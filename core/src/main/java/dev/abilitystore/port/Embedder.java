package dev.abilitystore.port;

import dev.abilitystore.Embedding;
import java.util.List;

/**
 * Turns text into embeddings. Implementations are thread-safe.
 *
 * <p>Documents (the text that stands for an ability) and queries are embedded separately,
 * because some models embed them differently (an instruction prefix, a task type).
 */
public interface Embedder {
  /** Returns the model's name as recorded with the store, such as {@code bge-small-en-v1.5}. */
  String model();

  /** Returns the dimension of every embedding this embedder makes. */
  int dimension();

  /** Returns one embedding per text, in order. */
  List<Embedding> embedDocuments(List<String> texts);

  /** Returns the embedding of a search query. */
  default Embedding embedQuery(String text) {
    return embedDocuments(List.of(text)).get(0);
  }
}
