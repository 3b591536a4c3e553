package dev.abilitystore.integration;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * What the clients of an ingest were told, per ability id: the version of its last acknowledged
 * write ({@link #ABSENT} after an acknowledged delete, or before any write), and the write sent
 * after it that had no answer when the server was killed. Each id must have one client writing
 * it, one call at a time, for "last acknowledged" and "in flight" to mean anything. Thread-safe.
 */
final class IngestLedger {
  /** The version of an id that was deleted or never written; real versions are positive. */
  static final int ABSENT = 0;

  private final Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
  private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();
  private final AtomicLong acknowledgedWrites = new AtomicLong();
  private final AtomicLong acknowledgedDeletes = new AtomicLong();

  /**
   * What the stores held after a kill compared with the ledger.
   *
   * @param inFlight how many writes were in flight at the kill
   * @param lost how many acknowledged versions were missing or replaced by an older one
   * @param violations every id whose version is neither its last acknowledged one nor the one in flight
   */
  record Verdict(int inFlight, int lost, List<String> violations) {}

  /** Records that version {@code version} of {@code abilityId} (or its delete, {@link #ABSENT}) is being sent. */
  void sending(String abilityId, int version) {
    inFlight.put(abilityId, version);
  }

  /** Records that the server acknowledged the write of {@code version} of {@code abilityId} sent last. */
  void acknowledged(String abilityId, int version) {
    inFlight.remove(abilityId);
    acknowledged.put(abilityId, version);
    (version == ABSENT ? acknowledgedDeletes : acknowledgedWrites).incrementAndGet();
  }

  long acknowledgedWrites() {
    return acknowledgedWrites.get();
  }

  long acknowledgedDeletes() {
    return acknowledgedDeletes.get();
  }

  /** Says what the ledger knows of {@code abilityId}: for failure messages. */
  String describe(String abilityId) {
    @Nullable Integer sent = inFlight.get(abilityId);
    return abilityId + ": last acknowledged " + versionText(acknowledged.getOrDefault(abilityId, ABSENT))
        + (sent == null ? ", nothing in flight" : ", in flight " + versionText(sent));
  }

  /**
   * Compares {@code held}, the version each id has in the stores (ids that are absent left out),
   * with the ledger, then takes it as the acknowledged state, so that the next ingest starts from
   * what the stores hold: a write that was in flight either landed or did not. Call while no
   * client runs.
   */
  Verdict settle(Map<String, Integer> held) {
    Set<String> ids = new TreeSet<>(acknowledged.keySet());
    ids.addAll(inFlight.keySet());
    ids.addAll(held.keySet());
    int pending = inFlight.size();
    int lost = 0;
    List<String> violations = new ArrayList<>();
    for (String id : ids) {
      int last = acknowledged.getOrDefault(id, ABSENT);
      @Nullable Integer sent = inFlight.get(id);
      int found = held.getOrDefault(id, ABSENT);
      if (found == last || (sent != null && found == sent)) {
        continue;
      }
      boolean lostWrite = last != ABSENT && (found == ABSENT || found < last);
      if (lostWrite) {
        lost++;
      }
      violations.add(describe(id) + ", but holds " + versionText(found) + (lostWrite ? " (lost)" : ""));
    }
    inFlight.clear();
    acknowledged.clear();
    acknowledged.putAll(held);
    return new Verdict(pending, lost, violations);
  }

  private static String versionText(int version) {
    return version == ABSENT ? "nothing" : "version " + version;
  }
}
