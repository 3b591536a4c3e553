package dev.abilitystore.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Counts the inputs a fuzz run tried, per category and per outcome (an HTTP status, or what the
 * importer did), and reports them: one line for standard output and a JSON document. Not
 * thread-safe.
 */
public final class FuzzSummary {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String suite;
  private final long seed;
  private final Map<String, Map<String, Long>> categories = new TreeMap<>();
  private long inputs;
  private long failures;
  private long started = System.nanoTime();
  private long elapsedNanos;

  public FuzzSummary(String suite, long seed) {
    this.suite = suite;
    this.seed = seed;
  }

  /** Counts one input of {@code category} that ended in {@code outcome}. */
  public void count(String category, String outcome) {
    inputs++;
    categories.computeIfAbsent(category, ignored -> new TreeMap<>()).merge(outcome, 1L, Long::sum);
  }

  public void failed() {
    failures++;
  }

  public long inputs() {
    return inputs;
  }

  public long failures() {
    return failures;
  }

  /** Stops the clock. */
  public FuzzSummary finish() {
    elapsedNanos = System.nanoTime() - started;
    return this;
  }

  /** {@code fuzz[suite] seed=S: N inputs in T s, F failures; category=n, ...}. */
  public String line() {
    return "fuzz[" + suite + "] seed=" + seed + ": " + inputs + " inputs in " + String.format("%.1f", elapsedNanos / 1e9)
        + " s, " + failures + " failures; " + categories.entrySet().stream()
        .map(entry -> entry.getKey() + "=" + entry.getValue().values().stream().mapToLong(Long::longValue).sum())
        .collect(Collectors.joining(", "));
  }

  /** The summary as JSON: suite, seed, inputs, failures, seconds, and per category the inputs and their outcomes. */
  public ObjectNode toJson() {
    ObjectNode json = JSON.createObjectNode();
    json.put("suite", suite).put("seed", seed).put("inputs", inputs).put("failures", failures)
        .put("seconds", Math.round(elapsedNanos / 1e7) / 100.0);
    ObjectNode byCategory = json.putObject("categories");
    categories.forEach((category, outcomes) -> {
      ObjectNode node = byCategory.putObject(category);
      node.put("inputs", outcomes.values().stream().mapToLong(Long::longValue).sum());
      ObjectNode counts = node.putObject("outcomes");
      outcomes.forEach(counts::put);
    });
    return json;
  }

  /** Writes the summaries as {@code {"runs": [...], "inputs": total}} to {@code file}. */
  public static void write(Path file, java.util.List<FuzzSummary> summaries) {
    ObjectNode json = JSON.createObjectNode();
    json.put("inputs", summaries.stream().mapToLong(FuzzSummary::inputs).sum());
    json.put("failures", summaries.stream().mapToLong(FuzzSummary::failures).sum());
    summaries.forEach(summary -> json.withArray("runs").add(summary.toJson()));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, JSON.writeValueAsString(json) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Restarts the clock, for a summary made before its run begins. */
  public void start() {
    started = System.nanoTime();
  }
}
