package dev.abilitystore.lucene;

import java.io.IOException;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

/**
 * One of Lucene's vector formats with the dimension limit raised from 1024 to
 * {@value #MAX_DIMENSIONS}, the way Elasticsearch does it: a named format that delegates every
 * byte to Lucene's own and overrides only {@link #getMaxDimensions}. Each subclass's name is
 * registered in {@code META-INF/services}, so an index written with it can be read back.
 */
abstract class WideVectorsFormat extends KnnVectorsFormat {
  /** The largest dimension the store accepts. */
  static final int MAX_DIMENSIONS = 4096;

  private final KnnVectorsFormat delegate;

  WideVectorsFormat(String name, KnnVectorsFormat delegate) {
    super(name);
    this.delegate = delegate;
  }

  @Override
  public final KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
    return delegate.fieldsWriter(state);
  }

  @Override
  public final KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
    return delegate.fieldsReader(state);
  }

  @Override
  public final int getMaxDimensions(String fieldName) {
    return MAX_DIMENSIONS;
  }

  @Override
  public final String toString() {
    return getName() + "(" + delegate + ")";
  }
}
