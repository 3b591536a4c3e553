package dev.abilitystore.bench;

/** Placeholder while the part is being written. */
final class SearchBenchmark implements BenchPart {
  @Override
  public String name() {
    return "search";
  }

  @Override
  public void run(BenchProfile profile, BenchReport report) {
    throw new UnsupportedOperationException("search: not written yet");
  }
}
