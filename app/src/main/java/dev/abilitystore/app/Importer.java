package dev.abilitystore.app;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.FieldError;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.StoreResult;
import dev.abilitystore.StoredAbility;
import dev.abilitystore.json.AbilityReadException;
import dev.abilitystore.json.AbilityReader;
import dev.abilitystore.redaction.CredentialRedactor;
import dev.abilitystore.validation.AbilityValidator;
import java.io.CharConversionException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Imports files of abilities in two streaming passes, so that bad input changes nothing and no
 * file needs to fit in memory: the first pass reads and validates every record and stops with
 * all the errors it found (up to {@value #ERRORS_SHOWN} of them shown); the second writes in
 * batches through {@link AbilityStore#store} (which redacts, embeds and puts each batch in the
 * index and in PostgreSQL or its replication queue), or through any writer of batches such as a
 * server's API, showing progress. Not thread-safe.
 */
public final class Importer {
  static final int ERRORS_SHOWN = 20;

  /** The largest batch: what one call of the API takes. */
  public static final int MAX_BATCH_SIZE = 1000;

  private final Function<List<Ability>, StoreResult> writer;
  private final AbilityValidator validator;
  private final int batchSize;
  private final ProgressDisplay progress;
  private final String verb;

  /**
   * @param store where abilities go
   * @param batchSize abilities per write, 1 to 1000
   * @param progress where progress lines go
   * @throws InvalidInputException if the batch size is out of range
   */
  public Importer(AbilityStore store, int batchSize, PrintStream progress) {
    this(store.primary().dimension(), store::store, batchSize, ProgressDisplay.lines(progress), "import");
  }

  /**
   * @param dimension the dimension of the store's vectors, which abilities that bring an
   *     embedding must have
   * @param writer stores one batch
   * @param batchSize abilities per write, 1 to 1000
   * @param progress how progress is shown
   * @param verb the job's name in progress lines, such as {@code import} or {@code restore}
   * @throws InvalidInputException if the batch size is out of range
   */
  public Importer(int dimension, Function<List<Ability>, StoreResult> writer, int batchSize,
      ProgressDisplay progress, String verb) {
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new InvalidInputException("batch size must be between 1 and " + MAX_BATCH_SIZE + ", was " + batchSize);
    }
    this.writer = writer;
    this.validator = AbilityValidator.forDimension(dimension);
    this.batchSize = batchSize;
    this.progress = progress;
    this.verb = verb;
  }

  /**
   * Validates every source, then writes them all.
   *
   * @param dryRun validate only
   * @throws InvalidInputException listing invalid records; nothing was written
   */
  public ImportReport run(List<ImportSource> sources, boolean dryRun) {
    long started = System.nanoTime();
    long total = validate(sources);
    if (dryRun) {
      return new ImportReport(total, 0, 0, 0, 0, 0, 0, Duration.ofNanos(System.nanoTime() - started));
    }
    return write(sources, total, started);
  }

  /**
   * Writes every source, which {@link #validate} found valid, in batches.
   *
   * @param total how many abilities the sources hold, for progress
   */
  public ImportReport write(List<ImportSource> sources, long total) {
    return write(sources, total, System.nanoTime());
  }

  private ImportReport write(List<ImportSource> sources, long total, long started) {
    Progress counts = new Progress(total, started);
    for (ImportSource source : sources) {
      try (AbilityReader reader = source.opener().get()) {
        List<Ability> batch = new ArrayList<>(batchSize);
        while (reader.hasNext()) {
          batch.add(reader.next());
          if (batch.size() == batchSize) {
            write(batch, counts);
            batch.clear();
          }
        }
        if (!batch.isEmpty()) {
          write(batch, counts);
        }
      }
    }
    counts.print(true);
    return new ImportReport(counts.read, counts.inserted, counts.updated, counts.unchanged, counts.embedded,
        counts.storedInPostgres, counts.queuedForPostgres, Duration.ofNanos(System.nanoTime() - started));
  }

  /**
   * Reads and validates every record of the sources, writing nothing.
   *
   * @return how many abilities they hold
   * @throws InvalidInputException listing invalid records
   */
  public long validate(List<ImportSource> sources) {
    Problems problems = new Problems();
    long total = 0;
    for (ImportSource source : sources) {
      try (AbilityReader reader = source.opener().get()) {
        while (hasNext(reader, source, problems)) {
          total++;
          try {
            Ability ability = reader.next();
            List<FieldError> broken = validator.check(ability);
            if (broken.isEmpty()) {
              // the store checks the ability again once its credentials are redacted (which can add
              // a dynamic header key): a record failing only then must be refused now, before any
              // batch is written, not when its own batch is
              broken = validator.check(CredentialRedactor.redact(ability).ability()).stream()
                  .map(error -> new FieldError(error.field(), error.message() + " (once its credentials are redacted)"))
                  .toList();
            }
            if (!broken.isEmpty()) {
              problems.add(source.name() + ":" + reader.line() + " (record " + reader.recordNumber() + ", '"
                  + ability.abilityId() + "'): " + String.join("; ", broken.stream().map(FieldError::toString)
                  .toList()));
            }
          } catch (AbilityReadException e) {
            problems.add(e.getMessage());
          } catch (UncheckedIOException e) {
            if (!notText(e, reader, source, problems)) {
              throw e;
            }
            break;
          }
        }
      }
    }
    if (problems.count > 0) {
      StringBuilder message = new StringBuilder().append(problems.count).append(" of ")
          .append(total + problems.unreadable)
          .append(" records are invalid; nothing was ").append(past(verb)).append(". Fix them and ").append(verb)
          .append(" again:");
      problems.shown.forEach(problem -> message.append("\n  ").append(problem));
      if (problems.count > problems.shown.size()) {
        message.append("\n  ... and ").append(problems.count - problems.shown.size()).append(" more");
      }
      throw new InvalidInputException(message.toString());
    }
    return total;
  }

  private static String past(String verb) {
    return verb + (verb.endsWith("e") ? "d" : "ed");
  }

  /**
   * Like {@link AbilityReader#hasNext()}, but malformed JSON, or bytes that are no text in the
   * encoding the JSON reader detected, are a problem that ends the source.
   */
  private static boolean hasNext(AbilityReader reader, ImportSource source, Problems problems) {
    try {
      return reader.hasNext();
    } catch (AbilityReadException e) {
      problems.add(e.getMessage());
      problems.unreadable++;
      return false;
    } catch (UncheckedIOException e) {
      if (notText(e, reader, source, problems)) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Records a source that is no Unicode text (say, UTF-32 with a code point beyond U+10FFFF) as a
   * problem naming it; false when {@code e} is another failure to read.
   */
  private static boolean notText(UncheckedIOException e, AbilityReader reader, ImportSource source,
      Problems problems) {
    if (!(e.getCause() instanceof CharConversionException conversion)) {
      return false;
    }
    problems.add(source.name() + ":" + Math.max(1, reader.line()) + " (record " + Math.max(1, reader.recordNumber() + 1)
        + "): not text in a Unicode encoding (" + conversion.getMessage() + ")");
    problems.unreadable++;
    return true;
  }

  /** Invalid records: how many, and the first few messages. */
  private static final class Problems {
    long count;
    long unreadable;
    final List<String> shown = new ArrayList<>();

    void add(String problem) {
      count++;
      if (shown.size() < ERRORS_SHOWN) {
        shown.add(problem);
      }
    }
  }

  private void write(List<Ability> batch, Progress counts) {
    long missing = batch.stream().filter(ability -> ability.embedding() == null).count();
    StoreResult result = writer.apply(batch);
    counts.add(batch.size(), result, missing);
    counts.print(false);
  }

  /** Running totals, printed at most once a second. */
  private final class Progress {
    private final long total;
    private final long started;
    long read;
    long inserted;
    long updated;
    long unchanged;
    long embedded;
    long storedInPostgres;
    long queuedForPostgres;

    Progress(long total, long started) {
      this.total = total;
      this.started = started;
    }

    void add(int size, StoreResult result, long missing) {
      read += size;
      for (StoredAbility stored : result.results()) {
        switch (stored.primary()) {
          case INSERTED -> inserted++;
          case UPDATED -> updated++;
          case UNCHANGED -> unchanged++;
        }
        switch (stored.secondary()) {
          case STORED -> storedInPostgres++;
          case QUEUED -> queuedForPostgres++;
          case DISABLED -> { }
        }
      }
      embedded += missing;
    }

    void print(boolean last) {
      double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
      String detail = String.format(Locale.ROOT, "%,.0f/s: %,d inserted, %,d updated, %,d unchanged", read / seconds,
          inserted, updated, unchanged);
      if (last) {
        progress.finish(past(verb), read, total, "abilities", detail);
      } else {
        progress.update((verb.endsWith("e") ? verb.substring(0, verb.length() - 1) : verb) + "ing", read, total,
            "abilities", detail);
      }
    }
  }
}
