package dev.abilitystore.postgres.testing;

import dev.abilitystore.postgres.DatabaseUrl;
import dev.abilitystore.postgres.PostgresConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server the tests of this JVM use, found once: {@code ABILITYSTORE_TEST_DATABASE_URL}
 * if set, else the local server on 127.0.0.1:5432 if it answers, else an embedded PostgreSQL
 * from Maven Central binaries (which refuses to start as root). Tests never share a database:
 * {@link #createDatabase()} makes a throwaway one.
 */
public final class TestPostgres {
  private static final Logger log = LoggerFactory.getLogger(TestPostgres.class);
  public static final String URL_VARIABLE = "ABILITYSTORE_TEST_DATABASE_URL";
  private static final String LOCAL_URL = "postgresql://postgres@127.0.0.1:5432/postgres?connect_timeout=2";

  private static volatile PostgresConfig server;

  private TestPostgres() {}

  /** Returns the configuration of the server's maintenance database. */
  public static synchronized PostgresConfig server() {
    if (server == null) {
      server = find();
    }
    return server;
  }

  /** Creates an empty database with a random name and returns its configuration. */
  public static PostgresConfig createDatabase() {
    String name = "abilitystore_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    PostgresConfig maintenance = server();
    execute(maintenance, "CREATE DATABASE " + name);
    return maintenance.toBuilder().database(name).maximumPoolSize(4).connectionTimeout(Duration.ofSeconds(5)).build();
  }

  /** Drops a database made by {@link #createDatabase()}, closing whatever is still connected to it. */
  public static void dropDatabase(PostgresConfig database) {
    execute(server(), "DROP DATABASE IF EXISTS " + database.database() + " WITH (FORCE)");
  }

  /** Runs one statement on the server's maintenance database. */
  public static void execute(PostgresConfig config, String sql) {
    try (Connection connection = connect(config); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run '" + sql + "' on " + config.location() + ": " + e.getMessage(), e);
    }
  }

  /** Runs a query that answers one number, outside any pool. */
  public static long queryLong(PostgresConfig config, String sql) {
    try (Connection connection = connect(config);
        java.sql.PreparedStatement statement = connection.prepareStatement(sql);
        java.sql.ResultSet row = statement.executeQuery()) {
      row.next();
      return row.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run '" + sql + "' on " + config.location() + ": " + e.getMessage(), e);
    }
  }

  /** Opens a plain JDBC connection, outside any pool. */
  public static Connection connect(PostgresConfig config) throws SQLException {
    return DriverManager.getConnection(config.jdbcUrl(), config.driverProperties());
  }

  private static PostgresConfig find() {
    String url = System.getenv(URL_VARIABLE);
    if (url != null && !url.isBlank()) {
      log.info("tests use PostgreSQL from {}", URL_VARIABLE);
      return DatabaseUrl.parse(url).build();
    }
    PostgresConfig local = DatabaseUrl.parse(LOCAL_URL).build();
    try (Connection ignored = connect(local)) {
      log.info("tests use the local PostgreSQL at {}", local.location());
      return local;
    } catch (SQLException e) {
      log.info("no local PostgreSQL ({}); starting an embedded one", e.getMessage());
    }
    try {
      EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          embedded.close();
        } catch (IOException ignored) {
          // the JVM is going away
        }
      }));
      return PostgresConfig.builder("postgres").hosts(java.util.List.of("localhost:" + embedded.getPort()))
          .user("postgres").build();
    } catch (IOException e) {
      throw new UncheckedIOException("no PostgreSQL for the tests: set " + URL_VARIABLE + ", start the local "
          + "server, or run as a non-root user so that the embedded one can start", e);
    }
  }
}
