package dev.abilitystore.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded synthetic vectors for tests and benchmarks. */
public final class Vectors {
  private Vectors() {}

  /**
   * Returns {@code count} unit vectors grouped the way embeddings are: {@code clusters} topics,
   * each with sub-topics, each item near its sub-topic. Neighbours are therefore much closer than
   * two random members of a topic, as in real embedding spaces, and unlike isotropic noise
   * around a centre, on which every approximate index does poorly.
   */
  public static List<float[]> clustered(int count, int dimension, int clusters, long seed) {
    Clustered source = new Clustered(dimension, clusters, seed);
    List<float[]> vectors = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      vectors.add(source.next());
    }
    return vectors;
  }

  /** An endless, seeded source of the vectors {@link #clustered} returns, one at a time. Not thread-safe. */
  public static final class Clustered {
    private static final int SUBTOPICS = 20;
    private final SplittableRandom random;
    private final float[][][] centres;
    private final int dimension;

    public Clustered(int dimension, int clusters, long seed) {
      this.random = new SplittableRandom(seed);
      this.dimension = dimension;
      this.centres = new float[clusters][SUBTOPICS][];
      for (int c = 0; c < clusters; c++) {
        float[] topic = gaussian(random, dimension, 1.0);
        for (int s = 0; s < SUBTOPICS; s++) {
          float[] subtopic = gaussian(random, dimension, 0.5);
          for (int d = 0; d < dimension; d++) {
            subtopic[d] += topic[d];
          }
          centres[c][s] = subtopic;
        }
      }
    }

    public float[] next() {
      float[] centre = centres[random.nextInt(centres.length)][random.nextInt(SUBTOPICS)];
      float[] item = gaussian(random, dimension, 0.3);
      for (int d = 0; d < dimension; d++) {
        item[d] += centre[d];
      }
      return normalize(item);
    }
  }

  public static float[] normalize(float[] vector) {
    double norm = 0;
    for (float value : vector) {
      norm += value * value;
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < vector.length; i++) {
      vector[i] *= scale;
    }
    return vector;
  }

  /** Cosine similarity in double precision; 0 when either vector is zero. */
  public static double cosine(float[] left, float[] right) {
    double dot = 0;
    double leftNorm = 0;
    double rightNorm = 0;
    for (int i = 0; i < left.length; i++) {
      dot += (double) left[i] * right[i];
      leftNorm += (double) left[i] * left[i];
      rightNorm += (double) right[i] * right[i];
    }
    return leftNorm == 0 || rightNorm == 0 ? 0 : dot / Math.sqrt(leftNorm * rightNorm);
  }

  private static float[] gaussian(SplittableRandom random, int dimension, double scale) {
    float[] vector = new float[dimension];
    for (int d = 0; d < dimension; d++) {
      vector[d] = (float) (random.nextGaussian() * scale);
    }
    return vector;
  }
}
