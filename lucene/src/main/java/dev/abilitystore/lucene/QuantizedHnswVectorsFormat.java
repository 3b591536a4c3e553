package dev.abilitystore.lucene;

import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

/**
 * Lucene's 8-bit scalar-quantised HNSW format, up to {@value WideVectorsFormat#MAX_DIMENSIONS}
 * dimensions. The full-precision vectors are kept beside the quantised ones, which is what
 * rescoring reads.
 */
public final class QuantizedHnswVectorsFormat extends WideVectorsFormat {
  static final String NAME = "AbilityStoreHnswInt8";

  /** The format as the reader needs it; graph parameters only matter when writing. */
  public QuantizedHnswVectorsFormat() {
    this(Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN, Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH);
  }

  QuantizedHnswVectorsFormat(int maxConn, int beamWidth) {
    super(NAME, new Lucene104HnswScalarQuantizedVectorsFormat(ScalarEncoding.UNSIGNED_BYTE, maxConn, beamWidth));
  }
}
