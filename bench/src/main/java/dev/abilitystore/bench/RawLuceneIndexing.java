package dev.abilitystore.bench;

import dev.abilitystore.Ability;
import dev.abilitystore.lucene.HnswVectorsFormat;
import dev.abilitystore.lucene.LuceneConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.FSDirectory;

/**
 * The raw Lucene side of the ingest part: an {@link IndexWriter} adding one document per ability
 * with only an id field and the embedding as a cosine {@link KnnFloatVectorField}, in the HNSW
 * format the store uses with {@link LuceneConfig}'s default graph parameters, the store's RAM
 * buffer and Lucene's default merge policy, committing once per batch as a store call does
 * (a store call returns only when its write is durable). Timed from the abilities in memory to the
 * commit. Not thread-safe.
 */
final class RawLuceneIndexing implements AutoCloseable {
  private static final String ID = "id";
  private static final String EMBEDDING = "embedding";

  private final FSDirectory directory;
  private final IndexWriter writer;

  /** Creates an empty index in {@code path}. */
  RawLuceneIndexing(Path path) throws IOException {
    if (LuceneConfig.DEFAULT_MAX_CONN != Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN
        || LuceneConfig.DEFAULT_BEAM_WIDTH != Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH) {
      throw new IllegalStateException("the raw baseline's HNSW format has Lucene's default graph parameters, "
          + "which are no longer LuceneConfig's: give it the store's");
    }
    KnnVectorsFormat format = new HnswVectorsFormat();
    this.directory = FSDirectory.open(path);
    this.writer = new IndexWriter(directory, new IndexWriterConfig()
        .setCodec(new Lucene104Codec() {
          @Override
          public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
            return format;
          }
        })
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
        .setRAMBufferSizeMB(64));
  }

  /** Indexes one batch and commits it; returns the nanoseconds it took. */
  long index(List<Ability> batch) throws IOException {
    long started = System.nanoTime();
    for (Ability ability : batch) {
      Document document = new Document();
      document.add(new StringField(ID, ability.abilityId(), Field.Store.NO));
      document.add(new KnnFloatVectorField(EMBEDDING, Objects.requireNonNull(ability.embedding()).toArray(),
          VectorSimilarityFunction.COSINE));
      writer.addDocument(document);
    }
    writer.commit();
    return System.nanoTime() - started;
  }

  int count() {
    return writer.getDocStats().numDocs;
  }

  @Override
  public void close() throws IOException {
    writer.close();
    directory.close();
  }
}
