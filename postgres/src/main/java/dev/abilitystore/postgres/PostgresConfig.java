package dev.abilitystore.postgres;

import static java.util.Objects.requireNonNull;

import dev.abilitystore.InvalidInputException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * How to reach PostgreSQL and how to use it: servers, database, credentials, driver
 * properties, pool size and timeouts. Immutable; {@link #toString()} never shows the password.
 *
 * @param hosts one or more {@code host:port} servers, tried in order
 * @param database the database name
 * @param user the role, or null for the driver's default
 * @param password the password, or null
 * @param properties further pgjdbc properties ({@code sslmode}, {@code ApplicationName}, ...)
 * @param maximumPoolSize connections in the pool at most
 * @param connectionTimeout how long a caller waits for a connection
 * @param statementTimeout how long one statement may run (migrations are not bound by it)
 * @param migrate whether opening the store applies pending migrations
 * @param startWhileDown whether opening the store succeeds while the server cannot be reached:
 *     the store then reports itself down, applies pending migrations before the first operation
 *     that finds the server back, and until then fails each operation with a
 *     {@link dev.abilitystore.StoreUnavailableException}; off by default, so that a wrong
 *     {@code DATABASE_URL} is found at start-up
 */
public record PostgresConfig(
    List<String> hosts,
    String database,
    @Nullable String user,
    @Nullable String password,
    Map<String, String> properties,
    int maximumPoolSize,
    Duration connectionTimeout,
    Duration statementTimeout,
    boolean migrate,
    boolean startWhileDown) {

  /** Two connections per core and one more: PostgreSQL's own rule of thumb for a pool. */
  public static final int DEFAULT_MAXIMUM_POOL_SIZE = Runtime.getRuntime().availableProcessors() * 2 + 1;
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);
  public static final String DEFAULT_HOST = "localhost:5432";

  public PostgresConfig {
    hosts = List.copyOf(hosts);
    requireNonNull(database, "database");
    properties = Collections.unmodifiableMap(new TreeMap<>(properties));
    if (hosts.isEmpty()) {
      throw new InvalidInputException("PostgreSQL needs at least one host");
    }
    if (database.isEmpty()) {
      throw new InvalidInputException("PostgreSQL database name must not be empty");
    }
    if (maximumPoolSize < 1 || maximumPoolSize > 1000) {
      throw new InvalidInputException("pool size must be between 1 and 1000, was " + maximumPoolSize);
    }
    requirePositive("connection timeout", connectionTimeout);
    requirePositive("statement timeout", statementTimeout);
  }

  /** Returns a builder for the database {@code database} on {@code localhost:5432}. */
  public static Builder builder(String database) {
    return new Builder(database);
  }

  /** Returns a builder that starts from this configuration. */
  public Builder toBuilder() {
    Builder builder = new Builder(database);
    builder.hosts.clear();
    builder.hosts.addAll(hosts);
    builder.user = user;
    builder.password = password;
    builder.properties.putAll(properties);
    builder.maximumPoolSize = maximumPoolSize;
    builder.connectionTimeout = connectionTimeout;
    builder.statementTimeout = statementTimeout;
    builder.migrate = migrate;
    builder.startWhileDown = startWhileDown;
    return builder;
  }

  /** Returns the JDBC URL, which holds no credentials. */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + String.join(",", hosts) + "/"
        + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Returns the driver properties, credentials included. */
  public Properties driverProperties() {
    Properties driver = new Properties();
    driver.putAll(properties);
    if (user != null) {
      driver.setProperty("user", user);
    }
    if (password != null) {
      driver.setProperty("password", password);
    }
    return driver;
  }

  /**
   * Returns a HikariCP configuration for a pool on this database.
   *
   * @param poolName how the pool's threads and logs are named
   * @param poolSize connections at most
   * @param initSql run on every new connection
   */
  com.zaxxer.hikari.HikariConfig hikari(String poolName, int poolSize, String initSql) {
    com.zaxxer.hikari.HikariConfig hikari = new com.zaxxer.hikari.HikariConfig();
    hikari.setPoolName(poolName);
    hikari.setJdbcUrl(jdbcUrl());
    hikari.setDataSourceProperties(driverProperties());
    hikari.setMaximumPoolSize(poolSize);
    hikari.setMinimumIdle(Math.min(2, poolSize));
    hikari.setConnectionTimeout(connectionTimeout.toMillis());
    hikari.setValidationTimeout(Math.min(connectionTimeout.toMillis(), 5_000));
    hikari.setConnectionInitSql(initSql);
    // Start even while the server is down; the first operation says what is wrong.
    hikari.setInitializationFailTimeout(-1);
    return hikari;
  }

  /** Returns where the store lives, for messages: {@code host:port/database}. */
  public String location() {
    return String.join(",", hosts) + "/" + database;
  }

  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>(properties);
    shown.replaceAll((key, value) -> key.toLowerCase(java.util.Locale.ROOT).contains("password") ? "****" : value);
    return "PostgresConfig[url=" + jdbcUrl() + ", user=" + user + ", password=" + (password == null ? "none" : "****")
        + ", properties=" + shown + ", maximumPoolSize=" + maximumPoolSize + ", connectionTimeout="
        + connectionTimeout + ", statementTimeout=" + statementTimeout + ", migrate=" + migrate + ", startWhileDown="
        + startWhileDown + "]";
  }

  private static void requirePositive(String name, Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      throw new InvalidInputException(name + " must be positive, was " + duration);
    }
  }

  /** Builds a {@link PostgresConfig}; not thread-safe. */
  public static final class Builder {
    private final List<String> hosts = new ArrayList<>(List.of(DEFAULT_HOST));
    private String database;
    private @Nullable String user;
    private @Nullable String password;
    private final Map<String, String> properties = new TreeMap<>();
    private int maximumPoolSize = DEFAULT_MAXIMUM_POOL_SIZE;
    private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
    private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
    private boolean migrate = true;
    private boolean startWhileDown;

    private Builder(String database) {
      this.database = requireNonNull(database, "database");
    }

    public Builder hosts(List<String> hosts) {
      this.hosts.clear();
      this.hosts.addAll(hosts);
      return this;
    }

    public Builder database(String database) {
      this.database = requireNonNull(database, "database");
      return this;
    }

    public Builder user(@Nullable String user) {
      this.user = user;
      return this;
    }

    public Builder password(@Nullable String password) {
      this.password = password;
      return this;
    }

    public Builder property(String name, String value) {
      properties.put(requireNonNull(name, "name"), requireNonNull(value, "value"));
      return this;
    }

    public Builder maximumPoolSize(int maximumPoolSize) {
      this.maximumPoolSize = maximumPoolSize;
      return this;
    }

    public Builder connectionTimeout(Duration connectionTimeout) {
      this.connectionTimeout = requireNonNull(connectionTimeout, "connectionTimeout");
      return this;
    }

    public Builder statementTimeout(Duration statementTimeout) {
      this.statementTimeout = requireNonNull(statementTimeout, "statementTimeout");
      return this;
    }

    public Builder migrate(boolean migrate) {
      this.migrate = migrate;
      return this;
    }

    /**
     * Sets whether opening the store succeeds while the server cannot be reached (default
     * false): see {@link PostgresConfig#startWhileDown()}.
     */
    public Builder startWhileDown(boolean startWhileDown) {
      this.startWhileDown = startWhileDown;
      return this;
    }

    /**
     * Returns the configuration.
     *
     * @throws InvalidInputException if a setting is out of range
     */
    public PostgresConfig build() {
      return new PostgresConfig(hosts, database, user, password, properties, maximumPoolSize, connectionTimeout,
          statementTimeout, migrate, startWhileDown);
    }
  }
}
