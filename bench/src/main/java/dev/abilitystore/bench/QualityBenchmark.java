package dev.abilitystore.bench;

/** Placeholder while the part is being written. */
final class QualityBenchmark implements BenchPart {
  @Override
  public String name() {
    return "quality";
  }

  @Override
  public void run(BenchProfile profile, BenchReport report) {
    throw new UnsupportedOperationException("quality: not written yet");
  }
}
