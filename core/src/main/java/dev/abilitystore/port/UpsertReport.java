package dev.abilitystore.port;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one batch upsert did, per ability id in the order given.
 *
 * @param outcomes the outcome of each ability id
 */
public record UpsertReport(Map<String, WriteOutcome> outcomes) {
  public UpsertReport {
    outcomes = Collections.unmodifiableMap(new LinkedHashMap<>(outcomes));
  }

  /** The report of a batch that wrote nothing. */
  public static UpsertReport empty() {
    return new UpsertReport(Map.of());
  }

  public long inserted() {
    return count(WriteOutcome.INSERTED);
  }

  public long updated() {
    return count(WriteOutcome.UPDATED);
  }

  public long unchanged() {
    return count(WriteOutcome.UNCHANGED);
  }

  private long count(WriteOutcome outcome) {
    return outcomes.values().stream().filter(outcome::equals).count();
  }
}
