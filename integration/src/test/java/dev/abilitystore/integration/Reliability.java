package dev.abilitystore.integration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the fault and load suites share: their length (short and seeded inside {@code verify},
 * full with {@code -Preliability}) and where they write the figures they measured.
 */
final class Reliability {
  /** Set by the {@code reliability} Maven profile of this module. */
  static final boolean FULL = Boolean.getBoolean("abilitystore.reliability.full");
  private static final Path FIGURES = Path.of("target", "reliability");

  private Reliability() {}

  /** Returns {@code quick} in a normal build and {@code full} under {@code -Preliability}. */
  static int scaled(int quick, int full) {
    return FULL ? full : quick;
  }

  /**
   * Writes {@code figures} (in the given order) to {@code target/reliability/<suite>.json} and to
   * the test's output, for the docs and the closing note.
   */
  static void report(String suite, Map<String, ?> figures) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("suite", suite);
    document.put("full", FULL);
    document.putAll(figures);
    try {
      Files.createDirectories(FIGURES);
      ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      Files.writeString(FIGURES.resolve(suite + ".json"), json.writeValueAsString(document));
      System.out.println("[Reliability] " + json.writer().without(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(document));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the figures of " + suite, e);
    }
  }
}
