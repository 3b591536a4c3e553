package dev.abilitystore.lucene;

import static java.util.Objects.requireNonNull;

import dev.abilitystore.InvalidInputException;
import java.nio.file.Path;

/**
 * How the Lucene index is laid out and searched. Immutable.
 *
 * @param directory the index directory (created if missing)
 * @param dimension the embedding dimension, 1 to {@value HnswVectorsFormat#MAX_DIMENSIONS}
 * @param quantization how the HNSW graph holds vectors
 * @param oversample with {@link Quantization#INT8}: how many candidates per result are fetched
 *     and rescored with full precision
 * @param maxConn HNSW: neighbours per node
 * @param beamWidth HNSW: candidates considered while building
 * @param efSearch HNSW: candidates explored while searching, at least k; more is slower and finds more
 * @param fusionDepth hybrid search: how deep each ranked list goes before fusion
 * @param fusion hybrid search: how the two lists are merged
 * @param rrfK reciprocal-rank fusion constant: larger flattens the weight of the first ranks
 * @param vectorWeight hybrid search: weight of the vector list
 * @param keywordWeight hybrid search: weight of the keyword list
 * @param nameBoost keyword search: the BM25F weight of the name, at least 1: a word in the name counts as
 *     this many occurrences elsewhere
 * @param embedderModel the model that makes the vectors, recorded with the index and checked when
 *     it is opened; null to neither record nor check
 */
public record LuceneConfig(
    Path directory,
    int dimension,
    Quantization quantization,
    int oversample,
    int maxConn,
    int beamWidth,
    int efSearch,
    int fusionDepth,
    Fusion fusion,
    int rrfK,
    float vectorWeight,
    float keywordWeight,
    float nameBoost,
    @org.jspecify.annotations.Nullable String embedderModel) {

  public static final Quantization DEFAULT_QUANTIZATION = Quantization.NONE;
  public static final int DEFAULT_OVERSAMPLE = 3;
  public static final int DEFAULT_MAX_CONN = 16;
  public static final int DEFAULT_BEAM_WIDTH = 100;
  public static final int DEFAULT_EF_SEARCH = 100;
  public static final int DEFAULT_FUSION_DEPTH = 100;
  /** The constant of the original reciprocal-rank fusion paper (Cormack et al., 2009). */
  public static final int DEFAULT_RRF_K = 60;
  /**
   * Convex combination: it ranked better than reciprocal-rank fusion in Bruch et al.'s study and
   * needs no rank constant; with equal weights nothing is fitted to any query set.
   */
  public static final Fusion DEFAULT_FUSION = Fusion.CONVEX;
  public static final float DEFAULT_NAME_BOOST = 2f;

  public LuceneConfig {
    requireNonNull(directory, "directory");
    requireNonNull(quantization, "quantization");
    check("dimension", dimension, 1, HnswVectorsFormat.MAX_DIMENSIONS);
    check("oversample", oversample, 1, 100);
    check("maxConn", maxConn, 2, 512);
    check("beamWidth", beamWidth, 2, 3200);
    check("efSearch", efSearch, 1, 10_000);
    check("fusionDepth", fusionDepth, 1, 10_000);
    check("rrfK", rrfK, 1, 10_000);
    if (!(vectorWeight >= 0) || !(keywordWeight >= 0) || vectorWeight + keywordWeight == 0) {
      throw new InvalidInputException("hybrid weights must be non-negative and not both zero, were vector="
          + vectorWeight + ", keyword=" + keywordWeight);
    }
    if (!(nameBoost >= 1) || Float.isInfinite(nameBoost)) {
      throw new InvalidInputException("name boost must be a number of at least 1 (a BM25F field weight), was "
          + nameBoost);
    }
  }

  /** Returns a builder for an index in {@code directory} holding vectors of {@code dimension}. */
  public static Builder builder(Path directory, int dimension) {
    return new Builder(directory, dimension);
  }

  private static void check(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new InvalidInputException(name + " must be between " + min + " and " + max + ", was " + value);
    }
  }

  /** Builds a {@link LuceneConfig}; not thread-safe. */
  public static final class Builder {
    private final Path directory;
    private final int dimension;
    private Quantization quantization = DEFAULT_QUANTIZATION;
    private int oversample = DEFAULT_OVERSAMPLE;
    private int maxConn = DEFAULT_MAX_CONN;
    private int beamWidth = DEFAULT_BEAM_WIDTH;
    private int efSearch = DEFAULT_EF_SEARCH;
    private int fusionDepth = DEFAULT_FUSION_DEPTH;
    private int rrfK = DEFAULT_RRF_K;
    private Fusion fusion = DEFAULT_FUSION;
    private float vectorWeight = 1f;
    private float keywordWeight = 1f;
    private float nameBoost = DEFAULT_NAME_BOOST;
    private @org.jspecify.annotations.Nullable String embedderModel;

    private Builder(Path directory, int dimension) {
      this.directory = directory;
      this.dimension = dimension;
    }

    public Builder quantization(Quantization quantization) {
      this.quantization = quantization;
      return this;
    }

    public Builder oversample(int oversample) {
      this.oversample = oversample;
      return this;
    }

    public Builder hnsw(int maxConn, int beamWidth) {
      this.maxConn = maxConn;
      this.beamWidth = beamWidth;
      return this;
    }

    public Builder efSearch(int efSearch) {
      this.efSearch = efSearch;
      return this;
    }

    public Builder fusion(int depth, int rrfK, float vectorWeight, float keywordWeight) {
      this.fusionDepth = depth;
      this.rrfK = rrfK;
      this.vectorWeight = vectorWeight;
      this.keywordWeight = keywordWeight;
      return this;
    }

    public Builder fusion(Fusion fusion) {
      this.fusion = fusion;
      return this;
    }

    public Builder nameBoost(float nameBoost) {
      this.nameBoost = nameBoost;
      return this;
    }

    public Builder embedderModel(@org.jspecify.annotations.Nullable String embedderModel) {
      this.embedderModel = embedderModel;
      return this;
    }

    public LuceneConfig build() {
      return new LuceneConfig(directory, dimension, quantization, oversample, maxConn, beamWidth, efSearch,
          fusionDepth, fusion, rrfK,
          vectorWeight, keywordWeight, nameBoost, embedderModel);
    }
  }
}
