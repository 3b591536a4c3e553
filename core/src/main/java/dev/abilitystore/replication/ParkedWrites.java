package dev.abilitystore.replication;

import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.internal.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes PostgreSQL refused for good (a {@link dev.abilitystore.StoreRefusedException}: a
 * constraint, a value out of range, a missing privilege), set aside so that the writes queued
 * behind them can go on. The primary holds every parked write, acknowledged as usual; what is
 * kept here is which ability PostgreSQL lacks and why, until a sync finds both stores agreeing on
 * it again (after the operator fixed the cause) and {@link #resolve} forgets it.
 *
 * <p>One file, {@code parked-writes.log}, of lines {@code <parked at> TAB <operation> TAB <id>
 * TAB <reason>}, id and reason URL-encoded; {@link #park} returns only after
 * {@code FileChannel.force}. A last line without its newline crashed before its fsync: it is cut
 * off on open. {@link #resolve} rewrites the file atomically. Memory: one entry per parked ability.
 * Thread-safe.
 */
public final class ParkedWrites implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ParkedWrites.class);
  /** The file's name inside the directory given to {@link #open}. */
  public static final String FILE_NAME = "parked-writes.log";

  /**
   * A parked write.
   *
   * @param abilityId the ability PostgreSQL does not hold as the primary does
   * @param operation what PostgreSQL refused
   * @param parkedAt when it was set aside
   * @param reason what PostgreSQL said
   */
  public record Parked(String abilityId, QueuedWrite.Operation operation, Instant parkedAt, String reason) {}

  private final Path file;
  private final InstantSource clock;
  private final Map<String, Parked> parked = new LinkedHashMap<>();
  private FileChannel channel;

  private ParkedWrites(Path directory, InstantSource clock) throws IOException {
    this.file = directory.resolve(FILE_NAME);
    this.clock = clock;
    Files.createDirectories(directory);
    if (Files.exists(file)) {
      read();
    }
    this.channel = openForAppend();
  }

  /**
   * Opens the parked writes kept in {@code directory}, creating the file when needed.
   *
   * @throws StoreUnavailableException if the directory cannot be used or the file is damaged
   */
  public static ParkedWrites open(Path directory, InstantSource clock) {
    try {
      return new ParkedWrites(directory, clock);
    } catch (IOException | UncheckedIOException e) {
      throw new StoreUnavailableException("[Queue] cannot open " + directory.resolve(FILE_NAME) + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Sets {@code write} aside durably, replacing an earlier entry of the same ability.
   *
   * @throws StoreUnavailableException if the file cannot be written; nothing was set aside
   */
  public synchronized void park(QueuedWrite write, String reason) {
    Parked entry = new Parked(write.abilityId(), write.operation(), clock.instant(), reason);
    try {
      ByteBuffer bytes = ByteBuffer.wrap(line(entry));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(false);
    } catch (IOException e) {
      throw new StoreUnavailableException("[Queue] cannot set aside the write of " + write.abilityId()
          + " that PostgreSQL refused: " + file + ": " + e.getMessage(), e);
    }
    parked.remove(entry.abilityId());
    parked.put(entry.abilityId(), entry);
  }

  /** Returns how many abilities have a parked write. */
  public synchronized int count() {
    return parked.size();
  }

  /** Returns the parked writes, oldest first. */
  public synchronized List<Parked> list() {
    return List.copyOf(parked.values());
  }

  /**
   * Forgets the parked writes of the abilities {@code settled} says both stores now agree on, and
   * returns how many it forgot.
   *
   * @throws StoreUnavailableException if the file cannot be rewritten; nothing was forgotten
   */
  public synchronized int resolve(Predicate<String> settled) {
    List<String> done = new ArrayList<>();
    for (String abilityId : parked.keySet()) {
      if (settled.test(abilityId)) {
        done.add(abilityId);
      }
    }
    if (done.isEmpty()) {
      return 0;
    }
    Map<String, Parked> remaining = new LinkedHashMap<>(parked);
    done.forEach(remaining::remove);
    try {
      channel.close();
      DurableFiles.write(file, out -> {
        for (Parked entry : remaining.values()) {
          out.write(line(entry));
        }
      });
      channel = openForAppend();
    } catch (IOException e) {
      throw new StoreUnavailableException("[Queue] cannot rewrite " + file + ": " + e.getMessage(), e);
    }
    parked.keySet().removeAll(done);
    log.info("[Queue] {} writes PostgreSQL had refused are settled: both stores agree on them now", done.size());
    return done.size();
  }

  private FileChannel openForAppend() throws IOException {
    boolean existed = Files.exists(file);
    FileChannel opened = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
    if (!existed) {
      DurableFiles.forceDirectory(file.getParent());
    }
    return opened;
  }

  private void read() throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    int complete = bytes.length;
    while (complete > 0 && bytes[complete - 1] != '\n') {
      complete--;
    }
    if (complete < bytes.length) {
      log.warn("[Queue] cut {} bytes of an unfinished line off {} (it was never acknowledged)",
          bytes.length - complete, file);
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.truncate(complete);
        channel.force(true);
      }
    }
    String[] lines = new String(bytes, 0, complete, StandardCharsets.UTF_8).split("\n", -1);
    for (int i = 0; i < lines.length - 1; i++) {
      String[] fields = lines[i].split("\t", -1);
      try {
        if (fields.length != 4) {
          throw new IllegalArgumentException("expected 4 tab-separated fields, found " + fields.length);
        }
        Parked entry = new Parked(decode(fields[2]),
            QueuedWrite.Operation.valueOf(fields[1].toUpperCase(Locale.ROOT)), Instant.parse(fields[0]),
            decode(fields[3]));
        parked.remove(entry.abilityId());
        parked.put(entry.abilityId(), entry);
      } catch (IllegalArgumentException | DateTimeParseException e) {
        throw new IOException("line " + (i + 1) + " is damaged (" + e.getMessage() + ")", e);
      }
    }
  }

  private static byte[] line(Parked entry) {
    return (entry.parkedAt() + "\t" + entry.operation().name().toLowerCase(Locale.ROOT) + "\t"
        + encode(entry.abilityId()) + "\t" + encode(entry.reason()) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static String decode(String field) {
    return URLDecoder.decode(field, StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing {}: {}", file, e.getMessage());
    }
  }
}
