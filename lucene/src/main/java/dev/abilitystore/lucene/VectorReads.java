package dev.abilitystore.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;

/** Reads full-precision vectors back from the index, for {@code get}, {@code scan} and rescoring. */
final class VectorReads {
  private VectorReads() {}

  /** Returns the vector of each document, in the order given. */
  static float[][] vectors(IndexSearcher searcher, int[] docs) throws IOException {
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    Integer[] order = new Integer[docs.length];
    for (int i = 0; i < docs.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> docs[i]));
    float[][] vectors = new float[docs.length][];
    int currentLeaf = -1;
    FloatVectorValues values = null;
    KnnVectorValues.DocIndexIterator iterator = null;
    for (int i : order) {
      int leafIndex = ReaderUtil.subIndex(docs[i], leaves);
      LeafReaderContext leaf = leaves.get(leafIndex);
      if (leafIndex != currentLeaf) {
        currentLeaf = leafIndex;
        values = leaf.reader().getFloatVectorValues(AbilityDocuments.EMBEDDING);
        iterator = values == null ? null : values.iterator();
      }
      int target = docs[i] - leaf.docBase;
      if (iterator == null || (iterator.docID() < target ? iterator.advance(target) : iterator.docID()) != target) {
        throw new IllegalStateException("document " + docs[i] + " has no embedding");
      }
      vectors[i] = values.vectorValue(iterator.index()).clone();
    }
    return vectors;
  }

  /** Rescores approximate hits with the exact similarity and returns the best {@code k}. */
  static List<ScoreDoc> rescore(IndexSearcher searcher, ScoreDoc[] approximate, float[] query, int k)
      throws IOException {
    int[] docs = Arrays.stream(approximate).mapToInt(hit -> hit.doc).toArray();
    float[][] vectors = vectors(searcher, docs);
    List<ScoreDoc> exact = new ArrayList<>(docs.length);
    for (int i = 0; i < docs.length; i++) {
      exact.add(new ScoreDoc(docs[i], AbilityDocuments.SIMILARITY.compare(query, vectors[i])));
    }
    exact.sort((left, right) -> left.score != right.score ? Float.compare(right.score, left.score)
        : Integer.compare(left.doc, right.doc));
    return exact.size() > k ? exact.subList(0, k) : exact;
  }
}
