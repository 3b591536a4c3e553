package dev.abilitystore.bench;

/** Placeholder while the part is being written. */
final class HttpBenchmark implements BenchPart {
  @Override
  public String name() {
    return "http";
  }

  @Override
  public void run(BenchProfile profile, BenchReport report) {
    throw new UnsupportedOperationException("http: not written yet");
  }
}
