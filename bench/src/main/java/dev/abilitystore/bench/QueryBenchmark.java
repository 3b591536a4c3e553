package dev.abilitystore.bench;

/** Placeholder while the part is being written. */
final class QueryBenchmark implements BenchPart {
  @Override
  public String name() {
    return "queries";
  }

  @Override
  public void run(BenchProfile profile, BenchReport report) {
    throw new UnsupportedOperationException("queries: not written yet");
  }
}
