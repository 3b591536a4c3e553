package dev.abilitystore.bench;

/** Placeholder while the part is being written. */
final class IngestBenchmark implements BenchPart {
  @Override
  public String name() {
    return "ingest";
  }

  @Override
  public void run(BenchProfile profile, BenchReport report) {
    throw new UnsupportedOperationException("ingest: not written yet");
  }
}
