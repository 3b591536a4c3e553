package dev.abilitystore.app;

import dev.abilitystore.AbilityStore;
import dev.abilitystore.DimensionMismatchException;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.embed.Reembedder;
import dev.abilitystore.lucene.LuceneVectorIndex;
import dev.abilitystore.port.Embedder;
import dev.abilitystore.port.EmbedderStamp;
import dev.abilitystore.port.RecordStore;
import dev.abilitystore.sync.SyncDirection;
import dev.abilitystore.sync.SyncProgress;
import dev.abilitystore.sync.SyncReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-embeds the Lucene index of a data directory with the configured embedder, swaps the result
 * in, and brings PostgreSQL along.
 *
 * <p>Steps, each safe to repeat, so that running again after an interruption at any point
 * finishes the job:
 * <ol>
 *   <li>{@link Reembedder} copies every ability of {@code index} into {@code index.reembed} with a
 *       new embedding, recording its progress in {@code reembed.checkpoint}; a rerun resumes after
 *       the last batch done. The old index is opened with the dimension it records and no model
 *       check.
 *   <li>Swap: {@code index} is renamed to {@code index.before-reembed-<UTC time>} (kept, so that
 *       nothing is lost), then {@code index.reembed} to {@code index}; the checkpoint is deleted.
 *       The marker file {@code reembed.swap} exists while the renames are under way, so that a
 *       rerun completes them.
 *   <li>With PostgreSQL: the new model is recorded there, then a primary-to-secondary sync
 *       replaces every embedding it holds. A rerun that finds the index already made by the
 *       configured embedder goes straight to this step.
 * </ol>
 * Another process must not use the data directory meanwhile (the index's lock refuses it). Not
 * thread-safe.
 */
public final class IndexReembedding {
  private static final Logger log = LoggerFactory.getLogger(IndexReembedding.class);
  /** Where the new index is built, beside the current one. */
  public static final String TARGET_DIRECTORY = Wiring.INDEX_DIRECTORY + ".reembed";
  /** The Reembedder's checkpoint: the model and the last ability id done. */
  public static final String CHECKPOINT_FILE = "reembed.checkpoint";
  /** Present while the two renames of the swap are under way; names where the old index goes. */
  public static final String SWAP_MARKER_FILE = "reembed.swap";
  /** The prefix of the directory the replaced index is kept in. */
  public static final String PREVIOUS_PREFIX = Wiring.INDEX_DIRECTORY + ".before-reembed-";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  private final Settings settings;
  private final int batchSize;
  private final InstantSource clock;
  private final Path index;
  private final Path target;
  private final Path checkpoint;
  private final Path swapMarker;

  /**
   * What a run did.
   *
   * @param embedder the model the index holds now
   * @param previous what made the vectors before, if the index recorded it
   * @param reembedding what the re-embedding did; null when the index already held this model's vectors
   * @param previousIndex where the replaced index was kept; null when this run swapped nothing
   * @param sync the primary-to-secondary sync that brought PostgreSQL along; null without PostgreSQL
   */
  public record Outcome(EmbedderStamp embedder, @Nullable EmbedderStamp previous,
      Reembedder.@Nullable Report reembedding, @Nullable Path previousIndex, @Nullable SyncReport sync) {}

  /**
   * @param settings the configuration, whose embedder the index is re-embedded with
   * @param batchSize abilities embedded per call, 1 to 1000
   * @param clock names the directory the old index is kept in
   * @throws InvalidInputException if the batch size is out of range or the embedder is {@code none}
   */
  public IndexReembedding(Settings settings, int batchSize, InstantSource clock) {
    if (batchSize < 1 || batchSize > 1000) {
      throw new InvalidInputException("batch size must be between 1 and 1000, was " + batchSize);
    }
    if (settings.embedder().equals("none")) {
      throw new InvalidInputException("reembed needs an embedder that makes vectors, and " + Settings.EMBEDDER
          + "=none makes none: set " + Settings.EMBEDDER + " to local, openai, gemini or hashing");
    }
    this.settings = settings.withSyncOnStart(false);
    this.batchSize = batchSize;
    this.clock = clock;
    this.index = settings.dataDir().resolve(Wiring.INDEX_DIRECTORY);
    this.target = settings.dataDir().resolve(TARGET_DIRECTORY);
    this.checkpoint = settings.dataDir().resolve(CHECKPOINT_FILE);
    this.swapMarker = settings.dataDir().resolve(SWAP_MARKER_FILE);
  }

  /**
   * Re-embeds, swaps and syncs, or finishes what an interrupted run left.
   *
   * @param progress told after every batch re-embedded
   * @param syncProgress told how the sync of PostgreSQL goes
   * @throws InvalidInputException if there is no index to re-embed
   * @throws StoreUnavailableException if PostgreSQL cannot be updated; the index is re-embedded
   *     and running again finishes the job
   */
  public Outcome run(Reembedder.Progress progress, SyncProgress syncProgress) {
    Embedder embedder = Wiring.embedder(settings);
    EmbedderStamp wanted = EmbedderStamp.of(embedder);
    finishInterruptedSwap();
    if (!Files.isDirectory(index)) {
      throw new InvalidInputException("there is no index at " + index + " to re-embed: point " + Settings.DATA_DIR
          + " at the data directory that holds it, import abilities first, or restore the index from PostgreSQL "
          + "with `abilitystore sync --direction secondary-to-primary` under the embedder that made its vectors");
    }
    Optional<EmbedderStamp> current = LuceneVectorIndex.recordedEmbedder(index);
    Reembedder.Report report = null;
    Path previousIndex = null;
    if (current.isPresent() && current.get().equals(wanted)) {
      log.info("[Reembed] The index at {} already holds vectors of {}", index, wanted);
      deleteTarget();
    } else {
      report = reembed(embedder, wanted, current, progress);
      previousIndex = swap();
    }
    SyncReport sync = settings.postgres() == null ? null : updatePostgres(embedder, wanted, syncProgress);
    return new Outcome(wanted, current.orElse(null), report, previousIndex, sync);
  }

  private Reembedder.Report reembed(Embedder embedder, EmbedderStamp wanted, Optional<EmbedderStamp> current,
      Reembedder.Progress progress) {
    discardTargetOfAnotherModel(wanted);
    int sourceDimension = current.map(EmbedderStamp::dimension).orElseGet(this::indexDimension);
    try (LuceneVectorIndex source = Wiring.openIndex(index, sourceDimension, null)) {
      Run run = reembedInto(source, embedder, progress);
      if (run.report().resumedAfter() != null && run.targetCount() != source.count()) {
        log.warn("[Reembed] The index at {} changed since the interrupted run ({} abilities, {} re-embedded); "
            + "starting over", index, source.count(), run.targetCount());
        deleteTarget();
        run = reembedInto(source, embedder, progress);
      }
      return run.report();
    }
  }

  /** What one pass of the Reembedder did, and how many abilities the new index holds after it. */
  private record Run(Reembedder.Report report, long targetCount) {}

  private Run reembedInto(LuceneVectorIndex source, Embedder embedder, Reembedder.Progress progress) {
    try (LuceneVectorIndex reembedded = Wiring.openIndex(target, embedder)) {
      Reembedder.Report report = new Reembedder(source, reembedded, embedder, checkpoint, batchSize).run(progress);
      return new Run(report, reembedded.count());
    }
  }

  /** An unfinished re-embedding for another model is of no use, nor is a checkpoint without its index: they go. */
  private void discardTargetOfAnotherModel(EmbedderStamp wanted) {
    if (!Files.exists(target)) {
      deleteTarget();
      return;
    }
    Optional<EmbedderStamp> started = LuceneVectorIndex.recordedEmbedder(target);
    if (started.isEmpty() || !started.get().equals(wanted)) {
      log.info("[Reembed] Discarding the unfinished re-embedding at {} ({}); starting over for {}", target,
          started.map(EmbedderStamp::toString).orElse("no model recorded"), wanted);
      deleteTarget();
    }
  }

  /**
   * Returns the dimension of an index that records no model (made with {@code none}): Lucene
   * names it only in the error of opening it with another.
   */
  private int indexDimension() {
    int guess = settings.dimension();
    try (LuceneVectorIndex probe = Wiring.openIndex(index, guess, null)) {
      return probe.dimension();
    } catch (DimensionMismatchException e) {
      return e.expected();
    }
  }

  private Path swap() {
    Path previous = settings.dataDir().resolve(PREVIOUS_PREFIX + STAMP.format(clock.instant()));
    writeSwapMarker(previous);
    move(index, previous);
    move(target, index);
    deleteSwapFiles();
    log.info("[Reembed] Swapped the re-embedded index in at {}; the previous one is kept at {}", index, previous);
    return previous;
  }

  /** Completes the renames of a {@link #swap} that was interrupted. */
  private void finishInterruptedSwap() {
    if (!Files.exists(swapMarker)) {
      return;
    }
    if (Files.isDirectory(target)) {
      log.info("[Reembed] Completing the swap an interrupted run began: {} becomes {}", target, index);
      if (Files.exists(index)) {
        move(index, readSwapMarker());
      }
      move(target, index);
    }
    deleteSwapFiles();
  }

  private void deleteSwapFiles() {
    try {
      Files.deleteIfExists(checkpoint);
      Files.deleteIfExists(swapMarker);
    } catch (IOException e) {
      throw new StoreUnavailableException("[Reembed] cannot delete " + checkpoint + " or " + swapMarker + ": "
          + e.getMessage(), e);
    }
  }

  private void writeSwapMarker(Path previous) {
    try {
      Path temporary = swapMarker.resolveSibling(SWAP_MARKER_FILE + ".tmp");
      Files.writeString(temporary, previous.getFileName().toString(), StandardCharsets.UTF_8);
      Files.move(temporary, swapMarker, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new StoreUnavailableException("[Reembed] cannot write " + swapMarker + ": " + e.getMessage(), e);
    }
  }

  private Path readSwapMarker() {
    try {
      return settings.dataDir().resolve(Files.readString(swapMarker, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new StoreUnavailableException("[Reembed] cannot read " + swapMarker + ": " + e.getMessage(), e);
    }
  }

  private SyncReport updatePostgres(Embedder embedder, EmbedderStamp wanted, SyncProgress syncProgress) {
    RecordStore secondary = Wiring.openSecondary(settings);
    try {
      secondary.recordEmbedder(wanted);
    } catch (RuntimeException e) {
      secondary.close();
      throw new StoreUnavailableException("[Reembed] the index at " + index + " holds vectors of " + wanted + ", but "
          + "PostgreSQL could not record the new model (" + e.getMessage() + "): run `abilitystore reembed` again "
          + "when it is back to finish", e);
    }
    LuceneVectorIndex reembedded;
    try {
      reembedded = Wiring.openIndex(index, embedder);
    } catch (RuntimeException e) {
      secondary.close();
      throw e;
    }
    try (AbilityStore store = Wiring.openStore(settings.withSyncOnStart(false), reembedded, secondary, embedder)) {
      return store.sync(SyncDirection.PRIMARY_TO_SECONDARY, false, syncProgress);
    }
  }

  private static void move(Path from, Path to) {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new StoreUnavailableException("[Reembed] cannot rename " + from + " to " + to + ": " + e.getMessage(), e);
    }
  }

  private void deleteTarget() {
    try {
      if (Files.exists(target)) {
        Files.walkFileTree(target, new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path directory, @Nullable IOException failure) throws IOException {
            if (failure != null) {
              throw failure;
            }
            Files.delete(directory);
            return FileVisitResult.CONTINUE;
          }
        });
      }
      Files.deleteIfExists(checkpoint);
    } catch (IOException e) {
      throw new StoreUnavailableException("[Reembed] cannot delete the unfinished re-embedding at " + target + ": "
          + e.getMessage(), e);
    }
  }
}
