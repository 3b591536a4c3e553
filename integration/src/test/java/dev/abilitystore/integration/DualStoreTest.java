package dev.abilitystore.integration;

import dev.abilitystore.postgres.testing.PostgresDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every dual-store test class shares: a throwaway PostgreSQL database, a fake Infraxa
 * server for the runs with Infraxa as the primary, and a data directory per test. Each test
 * starts from an empty database, as from an empty index.
 */
abstract class DualStoreTest {
  @RegisterExtension static final PostgresDatabase database = new PostgresDatabase();
  @RegisterExtension static final InfraxaServer infraxa = new InfraxaServer();
  @TempDir Path dataDirectory;

  @BeforeEach
  void emptyDatabase() {
    database.reset();
  }
}
