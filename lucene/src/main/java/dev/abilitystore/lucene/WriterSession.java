package dev.abilitystore.lucene;

import java.io.IOException;
import java.util.Map;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.FSDirectory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link IndexWriter} of the index with the searchers refreshed from it and the group commit
 * over it. Lucene closes a writer for good after a tragic failure (a flush or commit that could
 * not write its files, say on a full or read-only disk); the index then replaces the whole session
 * with a new one over the same directory, which starts from the last commit.
 */
final class WriterSession {
  private static final Logger log = LoggerFactory.getLogger(WriterSession.class);

  final IndexWriter writer;
  final SearcherManager searchers;
  final GroupCommit commits;

  private WriterSession(IndexWriter writer) throws IOException {
    this.writer = writer;
    this.searchers = new SearcherManager(writer, null);
    this.commits = new GroupCommit(writer, searchers::maybeRefreshBlocking);
  }

  /**
   * Opens a writer over {@code directory} with {@code writerConfig}, recording {@code commitData}
   * in its commits; commits at once when {@code commitNow} (a new index, or a probe that the
   * directory can be written again).
   */
  static WriterSession open(FSDirectory directory, IndexWriterConfig writerConfig, Map<String, String> commitData,
      boolean commitNow) throws IOException {
    IndexWriter writer = new IndexWriter(directory, writerConfig);
    try {
      writer.setLiveCommitData(commitData.entrySet());
      if (commitNow) {
        writer.commit();
      }
      return new WriterSession(writer);
    } catch (IOException | RuntimeException e) {
      try {
        writer.rollback();
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Why Lucene closed the writer for good, or null while it is usable. */
  @Nullable Throwable failure() {
    Throwable tragedy = writer.getTragicException();
    if (tragedy == null && !writer.isOpen()) {
      return new IllegalStateException("the IndexWriter is closed");
    }
    return tragedy;
  }

  /** Commits what is pending and closes. */
  void close() throws IOException {
    searchers.close();
    writer.close();
  }

  /** Lets go of a session whose writer failed: nothing of it can be committed any more. */
  void abandon() {
    try {
      searchers.close();
      writer.rollback();
    } catch (IOException | RuntimeException e) {
      log.debug("[VectorDB] letting go of a failed IndexWriter: {}", e.toString());
    }
  }
}
