package dev.abilitystore.bench;

import dev.abilitystore.postgres.PostgresConfig;
import dev.abilitystore.postgres.testing.TestPostgres;

/**
 * A PostgreSQL database of one benchmark part alone, beside the run's database on the same server,
 * so that no part meets another's rows or recorded embedder; dropped on {@link #close()}.
 */
final class PartDatabase implements AutoCloseable {
  private final PostgresConfig run;
  private final PostgresConfig config;

  private PartDatabase(PostgresConfig run, PostgresConfig config) {
    this.run = run;
    this.config = config;
  }

  /** Creates the empty database {@code <run database>_<suffix>}, dropping a leftover of that name first. */
  static PartDatabase create(PostgresConfig run, String suffix) {
    String name = run.database() + "_" + suffix;
    TestPostgres.execute(run, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    TestPostgres.execute(run, "CREATE DATABASE " + name);
    return new PartDatabase(run, run.toBuilder().database(name).build());
  }

  PostgresConfig config() {
    return config;
  }

  @Override
  public void close() {
    TestPostgres.execute(run, "DROP DATABASE IF EXISTS " + config.database() + " WITH (FORCE)");
  }
}
