package dev.abilitystore.write;

import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.internal.LineLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ids of writes under way, recorded durably before the primary is written, for a primary that
 * cannot list what it holds (Infraxa learns its ids from PostgreSQL). A process killed between
 * the primary's write and PostgreSQL's would otherwise leave a new ability in the primary alone,
 * out of sight of every scan and so of every sync; after a restart, the ids recorded then are
 * {@link #unsettled()} until the store has made PostgreSQL agree with the primary on them.
 *
 * <p>One {@link LineLog}, {@code write-intents.log}, of URL-encoded ids, one per line.
 * {@link #record} appends durably; {@link #done} writes nothing (an id left in the file is only
 * checked once more after a crash), and the file is rewritten to the ids still recorded whenever
 * it has grown past {@value #COMPACT_BYTES} bytes. Thread-safe.
 */
public final class WriteIntents implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WriteIntents.class);
  /** The file's name inside the directory given to {@link #open}. */
  public static final String FILE_NAME = "write-intents.log";
  static final int COMPACT_BYTES = 64 * 1024;

  private final Path file;
  /** Writes under way: how many batches in flight hold each id. */
  private final Map<String, Integer> inFlight = new HashMap<>();
  /** Ids recorded before the last restart, or of failed writes, not yet settled. */
  private final Set<String> unsettled = new LinkedHashSet<>();
  private final LineLog lines;

  private WriteIntents(Path directory) throws IOException {
    this.file = directory.resolve(FILE_NAME);
    this.lines = LineLog.open(file);
    for (String line : lines.recovered()) {
      if (!line.isEmpty()) {
        unsettled.add(URLDecoder.decode(line, StandardCharsets.UTF_8));
      }
    }
  }

  /**
   * Opens the intents kept in {@code directory}; the ids found there are {@link #unsettled()}.
   *
   * @throws StoreUnavailableException if the directory cannot be used
   */
  public static WriteIntents open(Path directory) {
    try {
      return new WriteIntents(directory);
    } catch (IOException | UncheckedIOException e) {
      throw new StoreUnavailableException("[Store] cannot open " + directory.resolve(FILE_NAME) + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Records durably that these abilities are about to be written.
   *
   * @throws StoreUnavailableException if the file cannot be written; then nothing may be written
   */
  public synchronized void record(Collection<String> abilityIds) {
    StringBuilder recorded = new StringBuilder();
    abilityIds.forEach(abilityId -> recorded.append(encode(abilityId)).append('\n'));
    try {
      lines.append(recorded);
    } catch (IOException e) {
      throw new StoreUnavailableException("[Store] cannot record the writes about to be made in " + file + ": "
          + e.getMessage() + "; nothing was written", e);
    }
    abilityIds.forEach(abilityId -> inFlight.merge(abilityId, 1, Integer::sum));
  }

  /** The writes of these abilities ended: both stores have them, or PostgreSQL's copy is queued. */
  public synchronized void done(Collection<String> abilityIds) {
    abilityIds.forEach(abilityId -> inFlight.computeIfPresent(abilityId, (id, count) -> count == 1 ? null : count - 1));
    compactIfLarge();
  }

  /**
   * The writes of these abilities failed, so the primary may or may not hold them: they join the
   * {@link #unsettled()} ids, for the next sync to check.
   */
  public synchronized void undecided(Collection<String> abilityIds) {
    unsettled.addAll(abilityIds);
    done(abilityIds);
  }

  /** Returns the ids recorded before the last restart, or of failed writes, not yet settled. */
  public synchronized List<String> unsettled() {
    return List.copyOf(unsettled);
  }

  /** The store made both stores agree on these abilities: they need no more checking. */
  public synchronized void settled(Collection<String> abilityIds) {
    unsettled.removeAll(abilityIds);
    compactIfLarge();
  }

  private void compactIfLarge() {
    if (lines.size() < COMPACT_BYTES) {
      return;
    }
    try {
      rewrite();
    } catch (IOException e) {
      log.warn("[Store] cannot compact {} ({}); it keeps growing until it can", file, e.getMessage());
    }
  }

  /** Rewrites the file to the ids still recorded. */
  private void rewrite() throws IOException {
    Set<String> kept = new LinkedHashSet<>(unsettled);
    kept.addAll(inFlight.keySet());
    StringBuilder content = new StringBuilder();
    kept.forEach(abilityId -> content.append(encode(abilityId)).append('\n'));
    lines.replace(content);
  }

  private static String encode(String abilityId) {
    return URLEncoder.encode(abilityId, StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void close() {
    try {
      if (inFlight.isEmpty()) {
        rewrite();
      }
      lines.close();
    } catch (IOException e) {
      log.debug("closing {}: {}", file, e.getMessage());
    }
  }
}
