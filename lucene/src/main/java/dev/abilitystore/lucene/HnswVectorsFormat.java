package dev.abilitystore.lucene;

import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;

/** Lucene's HNSW format on full-precision vectors, up to {@value WideVectorsFormat#MAX_DIMENSIONS} dimensions. */
public final class HnswVectorsFormat extends WideVectorsFormat {
  /** The largest dimension the store accepts. */
  public static final int MAX_DIMENSIONS = WideVectorsFormat.MAX_DIMENSIONS;
  static final String NAME = "AbilityStoreHnsw";

  /** The format as the reader needs it; graph parameters only matter when writing. */
  public HnswVectorsFormat() {
    this(Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN, Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH);
  }

  HnswVectorsFormat(int maxConn, int beamWidth) {
    super(NAME, new Lucene99HnswVectorsFormat(maxConn, beamWidth));
  }
}
