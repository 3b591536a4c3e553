package dev.abilitystore.lucene;

import java.io.IOException;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

/**
 * Lucene's HNSW vectors format with the dimension limit raised from 1024 to
 * {@value #MAX_DIMENSIONS}, the way Elasticsearch does it: a named format that delegates every
 * byte to Lucene's own and overrides only {@link #getMaxDimensions}. The name is registered in
 * {@code META-INF/services}, so an index written with it can be read back.
 */
public final class HnswVectorsFormat extends KnnVectorsFormat {
  /** The largest dimension the store accepts. */
  public static final int MAX_DIMENSIONS = 4096;
  static final String NAME = "AbilityStoreHnsw";

  private final KnnVectorsFormat delegate;

  /** The format as the reader needs it; graph parameters only matter when writing. */
  public HnswVectorsFormat() {
    this(Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN, Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH);
  }

  HnswVectorsFormat(int maxConn, int beamWidth) {
    super(NAME);
    this.delegate = new Lucene99HnswVectorsFormat(maxConn, beamWidth);
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
    return MAX_DIMENSIONS;
  }

  @Override
  public String toString() {
    return NAME + "(" + delegate + ")";
  }
}
