package dev.abilitystore.replication;

import dev.abilitystore.AbilityStoreException;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.internal.DurableFiles;
import dev.abilitystore.json.AbilityJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable, ordered, bounded queue of writes on disk: where a write goes when PostgreSQL cannot
 * take it, so that it is acknowledged without being lost.
 *
 * <p>Design notes.
 * <ul>
 *   <li><b>Log.</b> Writes are appended to segment files ({@code segment-<first sequence>.log}) as
 *       records {@code [int length][int CRC32C][payload]}, the payload a JSON header line
 *       ({@code seq}, {@code at}, {@code op}, {@code ability_id}) and, for an upsert, the ability's
 *       JSON with its embedding and timestamps. A segment is closed for appends at
 *       {@code segmentBytes} and deleted once all its writes are acknowledged.
 *   <li><b>Durability.</b> {@link #append} returns only after {@code FileChannel.force}: a write
 *       the caller acknowledges is on disk. The first sequence not yet delivered is kept in the
 *       {@code acknowledged} checkpoint, replaced atomically (write, fsync, rename, fsync the
 *       directory), so delivery resumes where it stopped after a restart. Delivery is
 *       at-least-once: a crash between delivering and checkpointing delivers again, which the
 *       record store's idempotent upsert absorbs.
 *   <li><b>Recovery.</b> On open, every segment is read; a record cut short or failing its CRC at
 *       the end of the last segment is a write that crashed before its fsync, so never
 *       acknowledged: it is cut off. Damage anywhere else is refused with the file and offset.
 *   <li><b>Bound.</b> An append that would take the queue past {@code maxBytes} fails with
 *       {@link ReplicationQueueFullException} and writes nothing; the heap holds only positions.
 * </ul>
 * Thread-safe: appends, reads and acknowledgements are serialised on this object.
 */
public final class ReplicationQueue implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReplicationQueue.class);
  /** Default size limit: 1 GiB of queued writes. */
  public static final long DEFAULT_MAX_BYTES = 1L << 30;
  static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
  private static final String CHECKPOINT = "acknowledged";
  private static final int HEADER_BYTES = 8;

  private final Path directory;
  private final long maxBytes;
  private final long segmentBytes;
  private final InstantSource clock;
  private final List<Segment> segments = new ArrayList<>();
  private long nextSequence;
  private long headSequence;
  private int headSegment;
  private long headOffset;
  private @Nullable FileChannel tail;
  private boolean closed;

  /** A segment file: its path, first sequence, number of writes and size. */
  private static final class Segment {
    final Path path;
    final long firstSequence;
    long count;
    long bytes;

    Segment(Path path, long firstSequence) {
      this.path = path;
      this.firstSequence = firstSequence;
    }
  }

  private ReplicationQueue(Path directory, long maxBytes, long segmentBytes, InstantSource clock) {
    this.directory = directory;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.clock = clock;
  }

  /**
   * Opens the queue in {@code directory}, creating it if needed, and recovers what it holds.
   *
   * @throws StoreUnavailableException if the directory cannot be used or a segment is damaged
   */
  public static ReplicationQueue open(Path directory, long maxBytes, InstantSource clock) {
    return open(directory, maxBytes, DEFAULT_SEGMENT_BYTES, clock);
  }

  static ReplicationQueue open(Path directory, long maxBytes, long segmentBytes, InstantSource clock) {
    if (maxBytes < 1024) {
      throw new InvalidInputException("replication queue size limit must be at least 1 KiB, was " + maxBytes);
    }
    ReplicationQueue queue = new ReplicationQueue(directory, maxBytes, segmentBytes, clock);
    try {
      Files.createDirectories(directory);
      queue.recover();
    } catch (IOException e) {
      throw new StoreUnavailableException("[Queue] cannot open the replication queue at " + directory + ": "
          + e.getMessage(), e);
    }
    return queue;
  }

  /**
   * Appends writes, in order, and returns them with their sequence numbers once they are on disk.
   *
   * @throws ReplicationQueueFullException if they would not fit; nothing was written
   */
  public synchronized List<QueuedWrite> append(List<QueuedWrite> writes) {
    ensureOpen();
    if (writes.isEmpty()) {
      return List.of();
    }
    Instant now = clock.instant();
    List<QueuedWrite> placed = new ArrayList<>(writes.size());
    List<ByteBuffer> records = new ArrayList<>(writes.size());
    long bytes = 0;
    for (QueuedWrite write : writes) {
      QueuedWrite numbered = write.placed(nextSequence + placed.size(), now);
      ByteBuffer record = encode(numbered);
      placed.add(numbered);
      records.add(record);
      bytes += record.remaining();
    }
    ensureRoom(bytes);
    int segmentsBefore = segments.size();
    long lastBytesBefore = segments.isEmpty() ? 0 : segments.get(segmentsBefore - 1).bytes;
    long lastCountBefore = segments.isEmpty() ? 0 : segments.get(segmentsBefore - 1).count;
    try {
      for (int i = 0; i < records.size(); i++) {
        ByteBuffer record = records.get(i);
        FileChannel channel = tailFor(record.remaining(), placed.get(i).sequence());
        while (record.hasRemaining()) {
          channel.write(record);
        }
        Segment last = segments.get(segments.size() - 1);
        last.count++;
        last.bytes = channel.position();
      }
      if (tail != null) {
        tail.force(false);
      }
    } catch (IOException e) {
      rollBack(segmentsBefore, lastBytesBefore, lastCountBefore);
      throw new StoreUnavailableException("[Queue] cannot write to the replication queue at " + directory + ": "
          + e.getMessage() + "; the writes were not queued", e);
    }
    nextSequence += placed.size();
    return placed;
  }

  /**
   * Refuses, before anything is written anywhere, writes of about {@code bytes} that would not fit.
   *
   * @throws ReplicationQueueFullException if they would pass the size limit
   */
  public synchronized void ensureRoom(long bytes) {
    long held = sizeBytes();
    if (held + bytes > maxBytes) {
      throw new ReplicationQueueFullException("[Queue] the replication queue at " + directory + " holds " + held
          + " bytes (" + depth() + " writes" + oldestEnqueuedAt().map(at -> ", oldest from " + at).orElse("")
          + "); " + bytes + " more would pass its limit of " + maxBytes + ": bring PostgreSQL back so that it "
          + "drains, or raise ABILITYSTORE_QUEUE_MAX_BYTES");
    }
  }

  /** Returns up to {@code max} of the oldest writes not yet acknowledged, oldest first. */
  public synchronized List<QueuedWrite> peek(int max) {
    ensureOpen();
    List<QueuedWrite> writes = new ArrayList<>();
    int segmentIndex = headSegment;
    long offset = headOffset;
    try {
      while (writes.size() < max && segmentIndex < segments.size()) {
        Segment segment = segments.get(segmentIndex);
        if (offset >= segment.bytes) {
          segmentIndex++;
          offset = 0;
          continue;
        }
        try (FileChannel channel = FileChannel.open(segment.path, StandardOpenOption.READ)) {
          while (writes.size() < max && offset < segment.bytes) {
            Decoded decoded = read(channel, offset, segment);
            writes.add(decoded.write());
            offset = decoded.next();
          }
        }
      }
    } catch (IOException e) {
      throw new StoreUnavailableException("[Queue] cannot read the replication queue at " + directory, e);
    }
    return writes;
  }

  /**
   * Removes the oldest {@code count} writes, which the caller delivered, and records that durably.
   *
   * @throws IllegalArgumentException if fewer writes are queued
   */
  public synchronized void acknowledge(int count) {
    ensureOpen();
    if (count < 0 || count > depth()) {
      throw new IllegalArgumentException("cannot acknowledge " + count + " of " + depth() + " queued writes");
    }
    try {
      advanceHead(count);
      headSequence += count;
      writeCheckpoint();
      dropDeliveredSegments();
    } catch (IOException e) {
      throw new StoreUnavailableException("[Queue] cannot record delivery in the replication queue at " + directory, e);
    }
  }

  /** Returns how many writes wait. */
  public synchronized long depth() {
    return nextSequence - headSequence;
  }

  /** Returns when the oldest waiting write was queued, if any waits. */
  public synchronized Optional<Instant> oldestEnqueuedAt() {
    List<QueuedWrite> oldest = depth() == 0 ? List.of() : peek(1);
    return oldest.isEmpty() ? Optional.empty() : Optional.of(oldest.get(0).enqueuedAt());
  }

  /** Returns the bytes the queue's segments take on disk. */
  public synchronized long sizeBytes() {
    return segments.stream().mapToLong(segment -> segment.bytes).sum();
  }

  /** Returns where the queue lives. */
  public Path directory() {
    return directory;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (tail != null) {
        tail.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Undoes a failed append: removes what it wrote, so that no write of it stays half-queued. */
  private void rollBack(int segmentsBefore, long lastBytesBefore, long lastCountBefore) {
    try {
      if (tail != null) {
        tail.close();
        tail = null;
      }
      while (segments.size() > segmentsBefore) {
        Files.deleteIfExists(segments.remove(segments.size() - 1).path);
      }
      if (!segments.isEmpty()) {
        Segment last = segments.get(segments.size() - 1);
        try (FileChannel channel = FileChannel.open(last.path, StandardOpenOption.WRITE)) {
          channel.truncate(lastBytesBefore);
          channel.force(true);
        }
        last.bytes = lastBytesBefore;
        last.count = lastCountBefore;
      }
    } catch (IOException e) {
      closed = true;
      log.error("[Queue] cannot undo a failed append at {} ({}); the queue is closed until it is reopened",
          directory, e.getMessage());
    }
  }

  /** Returns the channel to append a record of {@code sequence} to, starting a new segment when the last is full. */
  private FileChannel tailFor(int recordBytes, long sequence) throws IOException {
    Segment last = segments.isEmpty() ? null : segments.get(segments.size() - 1);
    if (last == null || (last.bytes > 0 && last.bytes + recordBytes > segmentBytes)) {
      if (tail != null) {
        tail.force(false);
        tail.close();
      }
      Segment segment = new Segment(directory.resolve(String.format("segment-%020d.log", sequence)), sequence);
      segments.add(segment);
      tail = FileChannel.open(segment.path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      DurableFiles.forceDirectory(directory);
    } else if (tail == null) {
      tail = FileChannel.open(last.path, StandardOpenOption.WRITE);
      tail.position(last.bytes);
    }
    return tail;
  }

  private void recover() throws IOException {
    long acknowledged = readCheckpoint();
    List<Path> files;
    try (Stream<Path> listing = Files.list(directory)) {
      files = listing.filter(path -> path.getFileName().toString().matches("segment-\\d{20}\\.log")).sorted().toList();
    }
    for (int i = 0; i < files.size(); i++) {
      Path path = files.get(i);
      Segment segment = new Segment(path, Long.parseLong(path.getFileName().toString().substring(8, 28)));
      long size = Files.size(path);
      try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        long offset = 0;
        while (offset < size) {
          Decoded decoded = readOrNull(channel, offset, size);
          if (decoded == null || decoded.write().sequence() != segment.firstSequence + segment.count) {
            if (i == files.size() - 1) {
              log.warn("[Queue] cut {} bytes of an unfinished write off {} (it was never acknowledged)",
                  size - offset, path);
              channel.truncate(offset);
              channel.force(true);
              size = offset;
              break;
            }
            throw new StoreUnavailableException("[Queue] the replication queue segment " + path + " is damaged at "
                + "offset " + offset + "; move it aside to start without the writes it holds");
          }
          segment.count++;
          offset = decoded.next();
        }
      }
      segment.bytes = size;
      segments.add(segment);
    }
    long first = segments.isEmpty() ? acknowledged : segments.get(0).firstSequence;
    nextSequence = first + segments.stream().mapToLong(segment -> segment.count).sum();
    headSequence = Math.max(acknowledged, first);
    if (headSequence > nextSequence) {
      headSequence = nextSequence;
    }
    headSegment = 0;
    headOffset = 0;
    advanceHead(headSequence - first);
    dropDeliveredSegments();
    if (depth() > 0) {
      log.info("[Queue] {} writes wait in the replication queue at {}", depth(), directory);
    }
  }

  /**
   * Moves the head past {@code count} writes, reading only their length headers (they were
   * checked when they were peeked or recovered), each segment through one channel.
   */
  private void advanceHead(long count) throws IOException {
    long remaining = count;
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    while (remaining > 0) {
      Segment segment = segments.get(headSegment);
      if (headOffset >= segment.bytes) {
        headSegment++;
        headOffset = 0;
        continue;
      }
      try (FileChannel channel = FileChannel.open(segment.path, StandardOpenOption.READ)) {
        while (remaining > 0 && headOffset < segment.bytes) {
          header.clear();
          readFully(channel, header, headOffset);
          int length = header.getInt(0);
          if (length <= 0 || headOffset + HEADER_BYTES + length > segment.bytes) {
            throw new StoreUnavailableException("[Queue] the replication queue segment " + segment.path
                + " is damaged at offset " + headOffset);
          }
          headOffset += HEADER_BYTES + length;
          remaining--;
        }
      }
    }
  }

  private void dropDeliveredSegments() throws IOException {
    while (!segments.isEmpty() && headSegment > 0) {
      Files.deleteIfExists(segments.remove(0).path);
      headSegment--;
    }
    if (segments.size() == 1 && depth() == 0 && headOffset >= segments.get(0).bytes && segments.get(0).bytes > 0) {
      if (tail != null) {
        tail.close();
        tail = null;
      }
      Files.deleteIfExists(segments.remove(0).path);
      headSegment = 0;
      headOffset = 0;
    }
  }

  private long readCheckpoint() throws IOException {
    Path checkpoint = directory.resolve(CHECKPOINT);
    if (!Files.exists(checkpoint)) {
      return 0;
    }
    String text = Files.readString(checkpoint).strip();
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new StoreUnavailableException("[Queue] the checkpoint " + checkpoint + " is damaged ('" + text + "')");
    }
  }

  private void writeCheckpoint() throws IOException {
    DurableFiles.replace(directory.resolve(CHECKPOINT),
        ByteBuffer.wrap(Long.toString(headSequence).getBytes(StandardCharsets.US_ASCII)));
  }

  private record Decoded(QueuedWrite write, long next) {}

  private Decoded read(FileChannel channel, long offset, Segment segment) throws IOException {
    Decoded decoded = readOrNull(channel, offset, segment.bytes);
    if (decoded == null) {
      throw new StoreUnavailableException("[Queue] the replication queue segment " + segment.path
          + " is damaged at offset " + offset);
    }
    return decoded;
  }

  private static @Nullable Decoded readOrNull(FileChannel channel, long offset, long size) throws IOException {
    if (offset + HEADER_BYTES > size) {
      return null;
    }
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    readFully(channel, header, offset);
    int length = header.getInt(0);
    int checksum = header.getInt(4);
    if (length <= 0 || offset + HEADER_BYTES + length > size) {
      return null;
    }
    ByteBuffer payload = ByteBuffer.allocate(length);
    readFully(channel, payload, offset + HEADER_BYTES);
    CRC32C crc = new CRC32C();
    crc.update(payload.array());
    if ((int) crc.getValue() != checksum) {
      return null;
    }
    try {
      return new Decoded(decode(new String(payload.array(), StandardCharsets.UTF_8)), offset + HEADER_BYTES + length);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, at);
      if (read < 0) {
        throw new IOException("unexpected end of file at " + at);
      }
      at += read;
    }
  }

  static ByteBuffer encode(QueuedWrite write) {
    String header = AbilityJson.valueJson(Map.of("seq", write.sequence(), "at",
        AbilityJson.formatTimestamp(write.enqueuedAt()), "op", write.operation().name().toLowerCase(
            java.util.Locale.ROOT), "ability_id", write.abilityId()));
    String payload = write.ability() == null ? header : header + "\n" + AbilityJson.toJson(write.ability(), true);
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    ByteBuffer record = ByteBuffer.allocate(HEADER_BYTES + bytes.length);
    record.putInt(bytes.length).putInt((int) crc.getValue()).put(bytes).flip();
    return record;
  }

  static QueuedWrite decode(String payload) {
    int newline = payload.indexOf('\n');
    Map<String, @Nullable Object> header = AbilityJson.parseObject(newline < 0 ? payload : payload.substring(0,
        newline));
    QueuedWrite.Operation operation = QueuedWrite.Operation.valueOf(((String) header.get("op")).toUpperCase(
        java.util.Locale.ROOT));
    return new QueuedWrite(((Number) header.get("seq")).longValue(),
        AbilityJson.parseTimestamp((String) header.get("at")), operation, (String) header.get("ability_id"),
        newline < 0 ? null : AbilityJson.fromJson(payload.substring(newline + 1)));
  }

  private void ensureOpen() {
    if (closed) {
      throw new AbilityStoreException("[Queue] the replication queue at " + directory + " is closed");
    }
  }
}
