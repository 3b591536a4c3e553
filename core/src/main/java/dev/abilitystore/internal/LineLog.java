package dev.abilitystore.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file of text lines that is only appended to, or replaced whole, and survives a crash: the
 * store's small durable records (tombstones, parked writes, write intents) keep their state in one.
 *
 * <p>{@link #append} returns only after {@code FileChannel.force}; one that fails is cut back, so
 * that the next one does not continue a broken line. A last line without its newline is a write
 * that crashed before its fsync, so never acknowledged: {@link #open} cuts it off.
 * {@link #replace} swaps the whole file atomically ({@link DurableFiles#replace}). Lines must not
 * hold a newline; callers encode their fields. Not thread-safe: the owner serialises its calls.
 */
public final class LineLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LineLog.class);

  private final Path file;
  private final List<String> recovered;
  private FileChannel channel;
  private long size;

  private LineLog(Path file) throws IOException {
    this.file = file;
    Files.createDirectories(file.toAbsolutePath().getParent());
    boolean existed = Files.exists(file);
    byte[] bytes = existed ? Files.readAllBytes(file) : new byte[0];
    int complete = bytes.length;
    while (complete > 0 && bytes[complete - 1] != '\n') {
      complete--;
    }
    this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    if (complete < bytes.length) {
      log.warn("cut an unfinished last line of {} bytes off {} (it was never acknowledged)",
          bytes.length - complete, file);
      channel.truncate(complete);
      channel.force(true);
    }
    if (!existed) {
      DurableFiles.forceDirectory(file.toAbsolutePath().getParent());
    }
    channel.position(complete);
    this.size = complete;
    String text = new String(bytes, 0, complete, StandardCharsets.UTF_8);
    // Every complete line ends in a newline: drop the last one before splitting.
    this.recovered = text.isEmpty() ? List.of() : List.of(text.substring(0, text.length() - 1).split("\n", -1));
  }

  /** Opens {@code file}, creating it (and its directory) when there is none. */
  public static LineLog open(Path file) throws IOException {
    return new LineLog(file);
  }

  /** Returns the complete lines the file held when it was opened, without their newlines. */
  public List<String> recovered() {
    return recovered;
  }

  /** Returns the file's size in bytes: what was recovered or last replaced, and appended since. */
  public long size() {
    return size;
  }

  /** Appends {@code lines} (each ending in a newline) durably; on failure the file is as it was. */
  public void append(CharSequence lines) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
    long before = size;
    try {
      while (bytes.hasRemaining()) {
        size += channel.write(bytes);
      }
      channel.force(false);
    } catch (IOException e) {
      cutBackTo(before);
      throw e;
    }
  }

  private void cutBackTo(long before) {
    try {
      channel.truncate(before);
      channel.position(before);
      channel.force(false);
      size = before;
    } catch (IOException e) {
      log.error("cannot undo a failed append to {} ({}); its last line is cut off when it is reopened", file,
          e.getMessage());
    }
  }

  /** Replaces the whole file with {@code lines} (each ending in a newline), atomically and durably. */
  public void replace(CharSequence lines) throws IOException {
    byte[] bytes = lines.toString().getBytes(StandardCharsets.UTF_8);
    channel.close();
    try {
      DurableFiles.replace(file, ByteBuffer.wrap(bytes));
    } finally {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      size = channel.size();
      channel.position(size);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
