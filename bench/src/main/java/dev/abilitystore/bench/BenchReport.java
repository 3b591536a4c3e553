package dev.abilitystore.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results of a run: named sections ({@code search}, {@code ingest}, {@code queries}, {@code http},
 * {@code quality}, {@code memory}), each a list of rows with snake_case keys, plus {@code machine}.
 * Rows are maps so that every part names its own columns; a column with no raw equivalent is null.
 * Thread-safe.
 */
final class BenchReport {
  private final Map<String, Object> root = new LinkedHashMap<>();

  synchronized void put(String key, Object value) {
    root.put(key, value);
  }

  /** Adds a row to section {@code section}, creating it. */
  @SuppressWarnings("unchecked")
  synchronized void add(String section, Map<String, ?> row) {
    ((List<Map<String, ?>>) root.computeIfAbsent(section, ignored -> new ArrayList<>())).add(row);
  }

  /** Returns the rows of {@code section}, oldest first. */
  @SuppressWarnings("unchecked")
  synchronized List<Map<String, ?>> rows(String section) {
    return List.copyOf((List<Map<String, ?>>) root.getOrDefault(section, List.of()));
  }

  synchronized void write(Path file) throws IOException {
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
  }

  /** Starts a row: {@code row("n", 10000, "dim", 384)}; keys and values alternate, values may be null. */
  static Map<String, Object> row(Object... keysAndValues) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      row.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return row;
  }
}
