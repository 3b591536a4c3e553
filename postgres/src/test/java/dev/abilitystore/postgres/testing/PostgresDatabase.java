package dev.abilitystore.postgres.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.postgres.PostgresConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A throwaway database for one test class: created before its first test, checked for leaked
 * connections and dropped after its last. Register as a static field with
 * {@code @RegisterExtension}.
 */
public final class PostgresDatabase implements BeforeAllCallback, AfterAllCallback {
  private PostgresConfig config;

  @Override
  public void beforeAll(ExtensionContext context) {
    config = TestPostgres.createDatabase();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      assertThat(openConnections()).as("connections still open to %s after %s: a store was not closed",
          config.database(), context.getDisplayName()).isZero();
    } finally {
      TestPostgres.dropDatabase(config);
    }
  }

  /** Returns the configuration of this class's database. */
  public PostgresConfig config() {
    return config;
  }

  /** Runs SQL on this class's database outside any pool. */
  public void execute(String sql) {
    TestPostgres.execute(config, sql);
  }

  /** Runs a query that answers one number. */
  public long queryLong(String sql) {
    return TestPostgres.queryLong(config, sql);
  }

  /** Empties the database: drops every table and the migration history. */
  public void reset() {
    execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
  }

  private long openConnections() throws InterruptedException {
    String sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + config.database()
        + "' AND pid <> pg_backend_pid()";
    long open = 0;
    for (int attempt = 0; attempt < 50; attempt++) {
      open = TestPostgres.queryLong(TestPostgres.server(), sql);
      if (open == 0) {
        return 0;
      }
      Thread.sleep(100);
    }
    return open;
  }
}
