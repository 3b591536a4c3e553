package dev.abilitystore.bench;

/** One part of the benchmark run (search, ingest, queries, http, quality): measures and adds rows to the report. */
interface BenchPart {
  /** The part's name on the command line ({@code --only search,quality}). */
  String name();

  void run(BenchProfile profile, BenchReport report) throws Exception;
}
