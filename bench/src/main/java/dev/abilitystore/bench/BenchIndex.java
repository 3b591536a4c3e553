package dev.abilitystore.bench;

import dev.abilitystore.Ability;
import dev.abilitystore.lucene.LuceneConfig;
import dev.abilitystore.lucene.LuceneVectorIndex;
import dev.abilitystore.lucene.RankFusion;
import dev.abilitystore.lucene.Quantization;
import dev.abilitystore.testing.Vectors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LuceneVectorIndex} filled with {@link SearchCorpus} abilities and seeded clustered
 * vectors (100 topics × 20 sub-topics), committed in batches of {@value #BATCH} and force-merged
 * to one segment; held-out query vectors of the same distribution; and a raw Lucene
 * {@link IndexSearcher} on the same directory for the baselines: the bare kNN and BM25 queries,
 * loading hits' stored documents, the index's own fusion over raw lists and the exact scan. Every raw
 * method is thread-safe.
 */
final class BenchIndex implements AutoCloseable {
  /** Index field names as {@code AbilityDocuments} writes them (package-private there). */
  static final String EMBEDDING = "embedding";
  static final String ID = "id";
  static final String SERVICE = "service";
  static final int BATCH = 1000;

  private final Path path;
  private final LuceneVectorIndex index;
  private final FSDirectory directory;
  private final DirectoryReader reader;
  private final IndexSearcher raw;
  private final List<float[]> queries;
  private final double buildSeconds;
  private final double mergeSeconds;

  private BenchIndex(Path path, LuceneVectorIndex index, List<float[]> queries, double buildSeconds,
      double mergeSeconds) throws IOException {
    this.path = path;
    this.index = index;
    this.queries = queries;
    this.buildSeconds = buildSeconds;
    this.mergeSeconds = mergeSeconds;
    this.directory = FSDirectory.open(path);
    this.reader = DirectoryReader.open(directory);
    this.raw = new IndexSearcher(reader);
  }

  /**
   * Builds the index at {@code path} (emptied first): {@code queryCount} query vectors are drawn
   * first, then the {@code count} abilities' vectors, from one seeded source.
   */
  static BenchIndex build(Path path, int count, int dimension, int queryCount, Quantization quantization)
      throws IOException {
    BenchMain.deleteRecursively(path);
    Vectors.Clustered source = new Vectors.Clustered(dimension, 100, 42);
    List<float[]> queries = new ArrayList<>(queryCount);
    for (int i = 0; i < queryCount; i++) {
      queries.add(source.next());
    }
    LuceneVectorIndex index = LuceneVectorIndex.open(LuceneConfig.builder(path, dimension)
        .quantization(quantization).build());
    try {
      long started = System.nanoTime();
      List<Ability> batch = new ArrayList<>(BATCH);
      for (int i = 0; i < count; i++) {
        batch.add(SearchCorpus.ability(i, source.next()));
        if (batch.size() == BATCH || i == count - 1) {
          index.upsert(batch);
          batch.clear();
        }
      }
      double buildSeconds = (System.nanoTime() - started) / 1e9;
      long mergeStarted = System.nanoTime();
      index.forceMerge(1);
      double mergeSeconds = (System.nanoTime() - mergeStarted) / 1e9;
      return new BenchIndex(path, index, List.copyOf(queries), buildSeconds, mergeSeconds);
    } catch (IOException | RuntimeException e) {
      index.close();
      throw e;
    }
  }

  LuceneVectorIndex index() {
    return index;
  }

  LuceneConfig config() {
    return index.config();
  }

  /** The held-out query vectors. */
  List<float[]> queries() {
    return queries;
  }

  double buildSeconds() {
    return buildSeconds;
  }

  double mergeSeconds() {
    return mergeSeconds;
  }

  /** Segments the raw reader sees: 1 after the force-merge. */
  int segments() {
    return reader.leaves().size();
  }

  /** Bytes of the index's files on disk. */
  long sizeOnDisk() throws IOException {
    try (Stream<Path> files = Files.walk(path)) {
      return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
    }
  }

  /** A filter on one service, as the index's own filter query has it. */
  static Query serviceFilter(String service) {
    return new TermQuery(new Term(SERVICE, service));
  }

  /**
   * Raw {@link KnnFloatVectorQuery}: {@code max(k, efSearch)} candidates explored, as the index
   * does, top {@code k} kept; document numbers and scores only.
   */
  List<ScoreDoc> knn(float[] vector, @Nullable Query filter, int k) {
    int candidates = Math.max(k, index.config().efSearch());
    return search(new KnnFloatVectorQuery(EMBEDDING, vector, candidates, filter), k);
  }

  /** Raw BM25: the top {@code k} of {@code query} (null: no searchable term, no hits). */
  List<ScoreDoc> bm25(@Nullable Query query, int k) {
    return query == null ? List.of() : search(query, k);
  }

  private List<ScoreDoc> search(Query query, int k) {
    try {
      return List.of(raw.search(query, k).scoreDocs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Loads the stored document of every hit, as any caller of raw Lucene must to use its results. */
  List<ScoreDoc> withStored(List<ScoreDoc> hits) {
    try {
      StoredFields stored = raw.storedFields();
      for (ScoreDoc hit : hits) {
        stored.document(hit.doc);
      }
      return hits;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Fuses two raw lists exactly as the index's hybrid search does, with its configuration. */
  List<ScoreDoc> fuse(List<ScoreDoc> vector, List<ScoreDoc> keyword, int limit) {
    return RankFusion.fuse(vector, keyword, index.config(), limit);
  }

  /**
   * The exact top {@code k}: the full-precision vector of every live document that passes
   * {@code filter}, compared with the query, best first. (A quantised index's own {@code scorer()}
   * would compare quantised vectors: not exact.)
   */
  List<ScoreDoc> exact(float[] query, @Nullable Query filter, int k) {
    try {
      PriorityQueue<ScoreDoc> best = new PriorityQueue<>(Comparator.comparingDouble((ScoreDoc doc) -> doc.score)
          .thenComparing((ScoreDoc doc) -> -doc.doc));
      Weight weight = filter == null ? null : raw.createWeight(raw.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
      for (LeafReaderContext leaf : reader.leaves()) {
        FloatVectorValues values = leaf.reader().getFloatVectorValues(EMBEDDING);
        if (values == null) {
          continue;
        }
        Bits live = leaf.reader().getLiveDocs();
        FixedBitSet accepted = null;
        if (weight != null) {
          accepted = new FixedBitSet(leaf.reader().maxDoc());
          Scorer scorer = weight.scorer(leaf);
          if (scorer != null) {
            accepted.or(scorer.iterator());
          }
        }
        KnnVectorValues.DocIndexIterator iterator = values.iterator();
        for (int doc = iterator.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = iterator.nextDoc()) {
          if ((live != null && !live.get(doc)) || (accepted != null && !accepted.get(doc))) {
            continue;
          }
          float score = VectorSimilarityFunction.COSINE.compare(query, values.vectorValue(iterator.index()));
          if (best.size() < k) {
            best.add(new ScoreDoc(leaf.docBase + doc, score));
          } else if (score > best.peek().score) {
            best.poll();
            best.add(new ScoreDoc(leaf.docBase + doc, score));
          }
        }
      }
      List<ScoreDoc> ranked = new ArrayList<>(best);
      ranked.sort((left, right) -> left.score != right.score ? Float.compare(right.score, left.score)
          : Integer.compare(left.doc, right.doc));
      return ranked;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The ability ids of {@code docs}, read from the id doc values. */
  Set<String> ids(List<ScoreDoc> docs) {
    try {
      Set<String> ids = new HashSet<>();
      List<LeafReaderContext> leaves = reader.leaves();
      for (ScoreDoc doc : docs) {
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc.doc, leaves));
        SortedDocValues values = leaf.reader().getSortedDocValues(ID);
        if (values == null || !values.advanceExact(doc.doc - leaf.docBase)) {
          throw new IllegalStateException("document " + doc.doc + " has no ability id");
        }
        ids.add(values.lookupOrd(values.ordValue()).utf8ToString());
      }
      return ids;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes the raw reader and the index, and deletes the index. */
  @Override
  public void close() throws IOException {
    try {
      reader.close();
      directory.close();
    } finally {
      index.close();
      BenchMain.deleteRecursively(path);
    }
  }
}
