package dev.abilitystore.replication;

import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.internal.LineLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
 * <p>One {@link LineLog}, {@code parked-writes.log}, of lines {@code <parked at> TAB <operation>
 * TAB <id> TAB <reason>}, id and reason URL-encoded: {@link #park} appends durably, {@link #resolve}
 * rewrites the file. Memory: one entry per parked ability. Thread-safe.
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
  private final LineLog lines;

  private ParkedWrites(Path directory, InstantSource clock) throws IOException {
    this.file = directory.resolve(FILE_NAME);
    this.clock = clock;
    this.lines = LineLog.open(file);
    List<String> recovered = lines.recovered();
    for (int i = 0; i < recovered.size(); i++) {
      Parked entry = parse(recovered.get(i), i + 1);
      parked.remove(entry.abilityId());
      parked.put(entry.abilityId(), entry);
    }
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
      lines.append(line(entry));
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
   * returns how many it forgot. {@code settled} runs under this object's lock, so that a write
   * parked again meanwhile waits and is kept.
   *
   * @throws StoreUnavailableException if the file cannot be rewritten; nothing was forgotten
   */
  public synchronized int resolve(Predicate<String> settled) {
    Set<String> done = new HashSet<>();
    for (String abilityId : parked.keySet()) {
      if (settled.test(abilityId)) {
        done.add(abilityId);
      }
    }
    if (done.isEmpty()) {
      return 0;
    }
    StringBuilder remaining = new StringBuilder();
    for (Parked entry : parked.values()) {
      if (!done.contains(entry.abilityId())) {
        remaining.append(line(entry));
      }
    }
    try {
      lines.replace(remaining);
    } catch (IOException e) {
      throw new StoreUnavailableException("[Queue] cannot rewrite " + file + ": " + e.getMessage(), e);
    }
    parked.keySet().removeAll(done);
    log.info("[Queue] {} writes PostgreSQL had refused are settled: both stores agree on them now", done.size());
    return done.size();
  }

  private static Parked parse(String line, int number) throws IOException {
    String[] fields = line.split("\t", -1);
    try {
      if (fields.length != 4) {
        throw new IllegalArgumentException("expected 4 tab-separated fields, found " + fields.length);
      }
      return new Parked(decode(fields[2]), QueuedWrite.Operation.valueOf(fields[1].toUpperCase(Locale.ROOT)),
          Instant.parse(fields[0]), decode(fields[3]));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IOException("line " + number + " is damaged (" + e.getMessage() + ")", e);
    }
  }

  private static String line(Parked entry) {
    return entry.parkedAt() + "\t" + entry.operation().name().toLowerCase(Locale.ROOT) + "\t"
        + encode(entry.abilityId()) + "\t" + encode(entry.reason()) + "\n";
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
      lines.close();
    } catch (IOException e) {
      log.debug("closing {}: {}", file, e.getMessage());
    }
  }
}
