package dev.abilitystore;

import java.util.Arrays;

/**
 * An immutable float vector that stands for an ability's meaning.
 *
 * <p>Values are copied on the way in and out, so an embedding can be shared freely between
 * threads. Whether the values are valid for a store (finite, non-zero norm, the store's
 * dimension) is checked by {@link dev.abilitystore.validation.AbilityValidator}, not here.
 */
public final class Embedding {
  private final float[] values;

  private Embedding(float[] values) {
    this.values = values;
  }

  /** Returns an embedding holding a copy of {@code values}. */
  public static Embedding of(float... values) {
    return new Embedding(values.clone());
  }

  /** Returns an embedding holding {@code values} rounded to single precision. */
  public static Embedding of(double[] values) {
    float[] copy = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      copy[i] = (float) values[i];
    }
    return new Embedding(copy);
  }

  /** Returns the number of components. */
  public int dimension() {
    return values.length;
  }

  /** Returns component {@code index}. */
  public float get(int index) {
    return values[index];
  }

  /** Returns a copy of the components. */
  public float[] toArray() {
    return values.clone();
  }

  /** Returns the Euclidean norm, computed in double precision. */
  public double norm() {
    double sum = 0;
    for (float value : values) {
      sum += (double) value * value;
    }
    return Math.sqrt(sum);
  }

  /** Returns the index of the first component that is NaN or infinite, or -1 if all are finite. */
  public int firstNonFinite() {
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Embedding embedding && Arrays.equals(values, embedding.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  /** Shows the dimension and the first components only: whole vectors never go to logs. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("Embedding[dimension=").append(values.length).append(", ");
    for (int i = 0; i < Math.min(3, values.length); i++) {
      text.append(values[i]).append(", ");
    }
    return text.append("...]").toString();
  }
}
