package dev.abilitystore.sync;

import dev.abilitystore.InvalidInputException;
import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.internal.LineLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When abilities were deleted through the store: what lets a bidirectional sync tell an ability
 * deleted on purpose (the deletion is carried to the other store) from one the other store lost
 * (it is copied back).
 *
 * <p>Design notes.
 * <ul>
 *   <li><b>Log.</b> One file, {@code tombstones.log}, of ASCII lines: {@code D <deleted at> <id>}
 *       records a deletion, {@code F <id>} cancels it (the id was stored again); fields are
 *       separated by tabs, ids URL-encoded so that no character of theirs can break a line.
 *       {@link #record} and {@link #forget} return only after {@code FileChannel.force}.
 *   <li><b>Recovery.</b> The file is a {@link LineLog}: a last line without its newline is a
 *       write that crashed before its fsync, so never acknowledged, and is cut off. A broken line
 *       anywhere else is refused with the file and line number.
 *   <li><b>Retention.</b> A tombstone older than the retention is forgotten: when the file is
 *       opened it is compacted (rewritten to a temporary file, fsynced, moved into place
 *       atomically) to the tombstones still in force, and {@link #deletedAt} no longer reports
 *       it. An ability deleted longer ago than that and still held by one store is therefore
 *       copied back by a bidirectional sync; keep the retention longer than a store can stay
 *       out of sync.
 *   <li><b>Memory.</b> A map of id to deletion time, bounded by the deletions within the
 *       retention, not by the catalogue.
 * </ul>
 * Thread-safe: every method is serialised on this object.
 */
public final class Tombstones implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Tombstones.class);
  /** How long a tombstone is kept by default. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
  /** The file's name inside the directory given to {@link #open}. */
  public static final String FILE_NAME = "tombstones.log";
  private static final String DELETED = "D";
  private static final String FORGOTTEN = "F";
  private static final int MIN_PRUNE_SIZE = 1024;

  private final Path file;
  private final Duration retention;
  private final InstantSource clock;
  private final Map<String, Instant> deletions = new HashMap<>();
  private final LineLog records;
  private int sizeAfterPrune;
  private boolean closed;

  private Tombstones(Path directory, Duration retention, InstantSource clock) throws IOException {
    this.file = directory.resolve(FILE_NAME);
    this.retention = retention;
    this.clock = clock;
    this.records = LineLog.open(file);
    recover();
    this.sizeAfterPrune = deletions.size();
  }

  /**
   * Opens the tombstones kept in {@code directory} with the default retention of 30 days.
   *
   * @throws StoreUnavailableException if the directory cannot be used or the file is damaged
   */
  public static Tombstones open(Path directory, InstantSource clock) {
    return open(directory, DEFAULT_RETENTION, clock);
  }

  /**
   * Opens the tombstones kept in {@code directory}, creating the file if needed, and drops those
   * older than {@code retention}.
   *
   * @throws InvalidInputException if {@code retention} is not positive
   * @throws StoreUnavailableException if the directory cannot be used or the file is damaged
   */
  public static Tombstones open(Path directory, Duration retention, InstantSource clock) {
    if (retention.isNegative() || retention.isZero()) {
      throw new InvalidInputException("tombstone retention must be positive, was " + retention);
    }
    try {
      return new Tombstones(directory, retention, clock);
    } catch (IOException | UncheckedIOException e) {
      throw new StoreUnavailableException("[Tombstones] cannot open " + directory.resolve(FILE_NAME) + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Records that these abilities were deleted at {@code deletedAt}, durably. An id that already
   * has a later tombstone keeps it.
   *
   * @throws StoreUnavailableException if the file cannot be written; nothing was recorded
   */
  public synchronized void record(Collection<String> abilityIds, Instant deletedAt) {
    ensureOpen();
    if (abilityIds.isEmpty()) {
      return;
    }
    StringBuilder lines = new StringBuilder();
    for (String abilityId : abilityIds) {
      lines.append(DELETED).append('\t').append(deletedAt).append('\t').append(encode(abilityId)).append('\n');
    }
    append(lines, "record deletions");
    for (String abilityId : abilityIds) {
      deletions.merge(abilityId, deletedAt, (earlier, later) -> later.isAfter(earlier) ? later : earlier);
    }
    if (deletions.size() >= Math.max(MIN_PRUNE_SIZE, 2 * sizeAfterPrune)) {
      deletions.values().removeIf(this::expired);
      sizeAfterPrune = deletions.size();
    }
  }

  /**
   * Cancels the tombstones of these abilities, durably: they were stored again. Ids without a
   * tombstone cost nothing.
   *
   * @throws StoreUnavailableException if the file cannot be written; nothing was cancelled
   */
  public synchronized void forget(Collection<String> abilityIds) {
    ensureOpen();
    StringBuilder lines = new StringBuilder();
    for (String abilityId : abilityIds) {
      if (deletions.containsKey(abilityId)) {
        lines.append(FORGOTTEN).append('\t').append(encode(abilityId)).append('\n');
      }
    }
    if (lines.isEmpty()) {
      return;
    }
    append(lines, "cancel deletions");
    abilityIds.forEach(deletions::remove);
  }

  /** Returns when the ability was last deleted, if that is recorded and within the retention. */
  public synchronized Optional<Instant> deletedAt(String abilityId) {
    ensureOpen();
    Instant deletedAt = deletions.get(abilityId);
    return deletedAt == null || expired(deletedAt) ? Optional.empty() : Optional.of(deletedAt);
  }

  /** Returns how many tombstones are held, expired ones not yet dropped included. */
  public synchronized int size() {
    return deletions.size();
  }

  /** Returns how long a tombstone is kept. */
  public Duration retention() {
    return retention;
  }

  /** Returns the file the tombstones are kept in. */
  public Path file() {
    return file;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      records.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean expired(Instant deletedAt) {
    return deletedAt.plus(retention).isBefore(clock.instant());
  }

  private void append(CharSequence appended, String operation) {
    try {
      records.append(appended);
    } catch (IOException e) {
      throw new StoreUnavailableException("[Tombstones] cannot " + operation + " in " + file + ": " + e.getMessage(),
          e);
    }
  }

  private void recover() throws IOException {
    List<String> recovered = records.recovered();
    for (int i = 0; i < recovered.size(); i++) {
      apply(recovered.get(i), i + 1);
    }
    deletions.values().removeIf(this::expired);
    if (recovered.size() != deletions.size()) {
      compact();
    }
  }

  private void apply(String line, int number) {
    String[] fields = line.split("\t", -1);
    try {
      if (fields.length == 3 && fields[0].equals(DELETED)) {
        Instant deletedAt = Instant.parse(fields[1]);
        deletions.merge(decode(fields[2]), deletedAt, (earlier, later) -> later.isAfter(earlier) ? later : earlier);
        return;
      }
      if (fields.length == 2 && fields[0].equals(FORGOTTEN)) {
        deletions.remove(decode(fields[1]));
        return;
      }
    } catch (DateTimeParseException | IllegalArgumentException e) {
      // Reported below as a damaged line, like any other unreadable one.
    }
    throw new StoreUnavailableException("[Tombstones] " + file + " is damaged at line " + number
        + "; move it aside to start without tombstones (a bidirectional sync may then copy deleted abilities back)");
  }

  private void compact() throws IOException {
    StringBuilder lines = new StringBuilder();
    for (Map.Entry<String, Instant> deletion : deletions.entrySet()) {
      lines.append(DELETED).append('\t').append(deletion.getValue()).append('\t').append(encode(deletion.getKey()))
          .append('\n');
    }
    records.replace(lines);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("[Tombstones] " + file + " is closed");
    }
  }

  private static String encode(String abilityId) {
    return URLEncoder.encode(abilityId, StandardCharsets.UTF_8);
  }

  private static String decode(String field) {
    if (field.isEmpty()) {
      throw new IllegalArgumentException("empty ability id");
    }
    return URLDecoder.decode(field, StandardCharsets.UTF_8);
  }
}
