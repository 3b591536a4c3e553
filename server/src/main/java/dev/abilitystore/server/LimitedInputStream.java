package dev.abilitystore.server;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that fails with a 413 problem as soon as more than the limit has been read, so
 * that an oversized body is refused while it streams in, whatever its declared length. Not
 * thread-safe.
 */
final class LimitedInputStream extends FilterInputStream {
  private final long limit;
  private long count;

  LimitedInputStream(InputStream in, long limit) {
    super(in);
    this.limit = limit;
  }

  @Override
  public int read() throws IOException {
    int read = super.read();
    if (read >= 0) {
      counted(1);
    }
    return read;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    int wanted = (int) Math.min(length, limit - count + 1);
    int read = super.read(buffer, offset, wanted);
    if (read > 0) {
      counted(read);
    }
    return read;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(Math.min(n, limit - count + 1));
    counted(skipped);
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void counted(long bytes) {
    count += bytes;
    if (count > limit) {
      throw ProblemException.bodyTooLarge(limit);
    }
  }
}
