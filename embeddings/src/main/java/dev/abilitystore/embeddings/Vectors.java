package dev.abilitystore.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import dev.abilitystore.AbilityStoreException;
import dev.abilitystore.Embedding;

/** Reads a provider's JSON vector, checking that it is what was asked for. */
final class Vectors {
  private Vectors() {}

  static Embedding read(JsonNode values, int dimension, String provider) {
    if (!values.isArray() || values.size() != dimension) {
      throw new AbilityStoreException("[Embeddings] " + provider + " answered a vector of " + values.size()
          + " dimensions where " + dimension + " were configured: check the model and its dimension settings");
    }
    float[] vector = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      JsonNode value = values.get(i);
      if (!value.isNumber()) {
        throw new AbilityStoreException("[Embeddings] " + provider + " answered a vector with a non-number at " + i);
      }
      vector[i] = value.floatValue();
    }
    return Embedding.of(vector);
  }
}
