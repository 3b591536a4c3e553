package dev.abilitystore.lucene;

import java.io.IOException;
import org.apache.lucene.index.IndexWriter;

/**
 * Makes writes durable and visible, sharing one commit among concurrent callers.
 *
 * <p>Design notes. Every IndexWriter operation returns a sequence number, and
 * {@link IndexWriter#commit()} returns the highest one it made durable. A caller whose
 * operation returned sequence number {@code s} waits until the durable number reaches
 * {@code s}. Whoever finds no commit running becomes the leader: it commits (one fsync for
 * every operation completed so far, its own and everyone else's), refreshes the searcher so
 * the writes are visible, publishes the new durable number and wakes the others; those still
 * not covered (their operation finished after the commit started) elect the next leader. So
 * under load, many writes share one fsync, and a caller never returns before its write is on
 * disk and searchable. Thread-safe.
 */
final class GroupCommit {
  /** What a leader runs after the commit: the searcher refresh. */
  interface AfterCommit {
    void run() throws IOException;
  }

  private final IndexWriter writer;
  private final AfterCommit afterCommit;
  private final Object lock = new Object();
  private long durable = -1;
  private boolean committing;

  GroupCommit(IndexWriter writer, AfterCommit afterCommit) {
    this.writer = writer;
    this.afterCommit = afterCommit;
  }

  /**
   * Returns once the operation with sequence number {@code sequenceNumber} is committed and
   * searchable.
   */
  void awaitDurable(long sequenceNumber) throws IOException, InterruptedException {
    while (true) {
      synchronized (lock) {
        while (committing && durable < sequenceNumber) {
          lock.wait();
        }
        if (durable >= sequenceNumber) {
          return;
        }
        committing = true;
      }
      long committed = sequenceNumber;
      boolean succeeded = false;
      try {
        committed = Math.max(writer.commit(), sequenceNumber);
        afterCommit.run();
        succeeded = true;
      } finally {
        synchronized (lock) {
          committing = false;
          if (succeeded) {
            durable = Math.max(durable, committed);
          }
          lock.notifyAll();
        }
      }
    }
  }
}
