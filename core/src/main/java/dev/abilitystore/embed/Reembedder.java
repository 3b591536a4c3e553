package dev.abilitystore.embed;

import dev.abilitystore.Ability;
import dev.abilitystore.Embedding;
import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.port.Embedder;
import dev.abilitystore.port.VectorIndex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-embeds every ability of one index into another with a new embedder, in id order and in
 * batches, keeping everything else about each ability (timestamps included).
 *
 * <p>Resumable: after each batch is durable in the target, the last id done is written to a
 * checkpoint file (atomically, by rename), so an interrupted run goes on from there; the
 * checkpoint names the model, so a run for another model starts over. The caller swaps the
 * target in for the source when {@link #run} returns, then deletes the checkpoint. Not
 * thread-safe.
 */
public final class Reembedder {
  private static final Logger log = LoggerFactory.getLogger(Reembedder.class);

  private final VectorIndex source;
  private final VectorIndex target;
  private final Embedder embedder;
  private final Path checkpoint;
  private final int batchSize;

  /** How far a run is: abilities done (this run and earlier ones) out of the source's count. */
  @FunctionalInterface
  public interface Progress {
    Progress NONE = (done, total) -> {};

    void update(long done, long total);
  }

  /**
   * What a run did.
   *
   * @param reembedded abilities embedded by this run
   * @param resumedAfter the id an interrupted earlier run had reached, or null for a fresh start
   * @param elapsed how long this run took
   */
  public record Report(long reembedded, @Nullable String resumedAfter, Duration elapsed) {
    /** Returns abilities re-embedded per second. */
    public double rate() {
      return elapsed.isZero() ? 0 : reembedded * 1e9 / elapsed.toNanos();
    }
  }

  public Reembedder(VectorIndex source, VectorIndex target, Embedder embedder, Path checkpoint, int batchSize) {
    if (target.dimension() != embedder.dimension()) {
      throw new IllegalArgumentException("the target index holds " + target.dimension() + " dimensions, the embedder "
          + "makes " + embedder.dimension());
    }
    this.source = source;
    this.target = target;
    this.embedder = embedder;
    this.checkpoint = checkpoint;
    this.batchSize = batchSize;
  }

  /** Re-embeds what the target does not hold yet. */
  public Report run(Progress progress) {
    long started = System.nanoTime();
    String resumedAfter = readCheckpoint().orElse(null);
    if (resumedAfter != null) {
      log.info("[Reembed] Resuming after {}", resumedAfter);
    }
    long total = source.count();
    long done = resumedAfter == null ? 0 : target.count();
    long reembedded = 0;
    String after = resumedAfter;
    while (true) {
      List<Ability> page = source.scan(after, batchSize).items();
      if (page.isEmpty()) {
        break;
      }
      List<String> texts = page.stream().map(AbilityText::of).toList();
      List<Embedding> embeddings = embedder.embedDocuments(texts);
      List<Ability> reembeddedPage = new ArrayList<>(page.size());
      for (int i = 0; i < page.size(); i++) {
        reembeddedPage.add(page.get(i).withEmbedding(embeddings.get(i)));
      }
      target.upsert(reembeddedPage);
      after = page.get(page.size() - 1).abilityId();
      writeCheckpoint(after);
      reembedded += page.size();
      done += page.size();
      progress.update(done, total);
    }
    Report report = new Report(reembedded, resumedAfter, Duration.ofNanos(System.nanoTime() - started));
    log.info("[Reembed] Re-embedded {} abilities with {} in {} ms ({} per second)", reembedded, embedder.model(),
        report.elapsed().toMillis(), Math.round(report.rate()));
    return report;
  }

  private Optional<String> readCheckpoint() {
    try {
      if (!Files.exists(checkpoint)) {
        return Optional.empty();
      }
      String[] parts = Files.readString(checkpoint, StandardCharsets.UTF_8).split("\n", -1);
      if (parts.length < 2 || !parts[0].equals(embedder.model())) {
        log.warn("[Reembed] The checkpoint at {} belongs to another model; starting over", checkpoint);
        return Optional.empty();
      }
      return Optional.of(parts[1]);
    } catch (IOException e) {
      throw new StoreUnavailableException("[Reembed] cannot read the checkpoint " + checkpoint + ": " + e.getMessage(),
          e);
    }
  }

  private void writeCheckpoint(String lastAbilityId) {
    try {
      Path temporary = checkpoint.resolveSibling(checkpoint.getFileName() + ".tmp");
      Files.writeString(temporary, embedder.model() + "\n" + lastAbilityId + "\n", StandardCharsets.UTF_8);
      Files.move(temporary, checkpoint, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new StoreUnavailableException("[Reembed] cannot write the checkpoint " + checkpoint + ": "
          + e.getMessage(), e);
    }
  }
}
