package dev.abilitystore.lucene;

import java.io.IOException;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

/**
 * Lucene's 8-bit scalar-quantised HNSW format with the dimension limit raised to
 * {@value HnswVectorsFormat#MAX_DIMENSIONS}; see {@link HnswVectorsFormat}. The full-precision
 * vectors are kept beside the quantised ones, which is what rescoring reads.
 */
public final class QuantizedHnswVectorsFormat extends KnnVectorsFormat {
  static final String NAME = "AbilityStoreHnswInt8";

  private final KnnVectorsFormat delegate;

  /** The format as the reader needs it; graph parameters only matter when writing. */
  public QuantizedHnswVectorsFormat() {
    this(Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN, Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH);
  }

  QuantizedHnswVectorsFormat(int maxConn, int beamWidth) {
    super(NAME);
    this.delegate = new Lucene104HnswScalarQuantizedVectorsFormat(ScalarEncoding.UNSIGNED_BYTE, maxConn, beamWidth);
  }

  @Override
  public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
    return delegate.fieldsWriter(state);
  }

  @Override
  public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
    return delegate.fieldsReader(state);
  }

  @Override
  public int getMaxDimensions(String fieldName) {
    return HnswVectorsFormat.MAX_DIMENSIONS;
  }

  @Override
  public String toString() {
    return NAME + "(" + delegate + ")";
  }
}
