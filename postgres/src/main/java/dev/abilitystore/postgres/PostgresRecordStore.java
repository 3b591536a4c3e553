package dev.abilitystore.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.AbilityStoreException;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.Page;
import dev.abilitystore.ServiceCount;
import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.identity.ContentHash;
import dev.abilitystore.json.AbilityJson;
import dev.abilitystore.port.EmbedderStamp;
import dev.abilitystore.port.Health;
import dev.abilitystore.port.PrimaryWrite;
import dev.abilitystore.port.RecordStore;
import dev.abilitystore.port.UpsertReport;
import dev.abilitystore.port.WriteOutcome;
import dev.abilitystore.usage.UsageStore;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RecordStore} on PostgreSQL: the original system's {@code abilities} table.
 *
 * <p>Design notes.
 * <ul>
 *   <li><b>Compatibility.</b> The table is the original's, column for column; V2 only adds a
 *       nullable {@code content_hash}, indexes and a trigger. Rows written by the original
 *       system or by hand (NULL hash) are read like ours.
 *   <li><b>Upsert</b> is one transaction per batch. A small batch is one statement: the batch
 *       travels as arrays and is unnested server-side, {@code ON CONFLICT (ability_id) DO UPDATE
 *       ... WHERE content_hash IS DISTINCT FROM EXCLUDED.content_hash}. An unchanged row is
 *       therefore never rewritten (no new row version, no WAL), {@code created_at} survives
 *       updates, and {@code RETURNING} tells inserted rows ({@code xmax = 0}) from updated ones;
 *       absent ids were unchanged. A batch of {@value #COPY_BATCH} or more reads the stored
 *       hashes of its ids first, then {@code COPY}s the new rows ({@link CopyRows}: about 18 %
 *       less server CPU than unnesting the rows out of arrays, measured at 384 and 3,072
 *       dimensions, and the client encodes while the server parses) and upserts only the changed
 *       ones. Duplicate ids within a batch
 *       keep the last occurrence.
 *   <li><b>Beside the primary.</b> {@link #upsertAfter} writes the transaction while the primary
 *       writes the same batch and commits it only once the primary has succeeded (rolls it back
 *       otherwise), so the two writes take the time of the slower one.
 *   <li><b>Order.</b> Scans and pages run in {@code ability_id COLLATE "C"} order (code
 *       points), served by {@code idx_abilities_ability_id_c}, so that the reconciler can merge
 *       them with the vector index's ids; pagination is by key, never by offset.
 *   <li><b>Failures.</b> HikariCP evicts a connection whose server went away; an operation that
 *       fails because its connection died is tried once more on a fresh one (every operation
 *       here is idempotent) after the pool's other connections are evicted too (they died with
 *       the same server), so a restarted server or terminated backends cost no error.
 *       Anything else becomes an {@link dev.abilitystore.AbilityStoreException} that names the
 *       operation and the server, never the password.
 *   <li><b>Starting while down.</b> With {@link PostgresConfig#startWhileDown()}, a server that
 *       cannot be reached at start-up is not an error: the store opens with its migrations
 *       pending, and every operation first runs them through a {@link MigrationGate}, failing
 *       with {@link StoreUnavailableException} until the server answers. Only unreachability
 *       is forgiven ({@link SqlFailures#isServerUnreachable}): a refused login, a missing
 *       database or a failing migration still fail {@link #open}.
 * </ul>
 * Thread-safe: state is the pool and the migration gate, which are.
 */
public final class PostgresRecordStore implements RecordStore {
  private static final Logger log = LoggerFactory.getLogger(PostgresRecordStore.class);
  private static final int ATTEMPTS = 2;
  /** Batches up to this size log one line per ability at INFO, larger ones at DEBUG. */
  private static final int PER_ABILITY_INFO_BATCH = 10;
  /** Ids per {@code getAll} query: keeps each array parameter and its plan small. */
  private static final int GET_ALL_CHUNK = 10_000;
  /**
   * Batches of at least this many abilities take the bulk path ({@link #copyOrUpsert}): a
   * {@code COPY} of the new rows. Smaller ones take one upsert statement, a round trip fewer.
   */
  static final int COPY_BATCH = 16;
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String EMBEDDER_MODEL_KEY = "embedder.model";
  private static final String EMBEDDER_DIMENSION_KEY = "embedder.dimension";

  private static final String UPSERT = """
      INSERT INTO abilities AS a (ability_id, vector_id, ability_name, service_name, description, embedding,
          dynamic_header_keys, dynamic_headers_required, metadata, created_at, updated_at, content_hash)
      SELECT id, vid, name, service, descr, emb::jsonb, keys::jsonb, required, meta::jsonb, created, updated, hash
      FROM unnest(?::text[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::boolean[],
          ?::text[], ?::timestamp[], ?::timestamp[], ?::text[])
          AS t(id, vid, name, service, descr, emb, keys, required, meta, created, updated, hash)
      ON CONFLICT (ability_id) DO UPDATE SET
          vector_id = EXCLUDED.vector_id,
          ability_name = EXCLUDED.ability_name,
          service_name = EXCLUDED.service_name,
          description = EXCLUDED.description,
          embedding = EXCLUDED.embedding,
          dynamic_header_keys = EXCLUDED.dynamic_header_keys,
          dynamic_headers_required = EXCLUDED.dynamic_headers_required,
          metadata = EXCLUDED.metadata,
          created_at = COALESCE(a.created_at, EXCLUDED.created_at),
          updated_at = EXCLUDED.updated_at,
          content_hash = EXCLUDED.content_hash
      WHERE a.content_hash IS DISTINCT FROM EXCLUDED.content_hash
      RETURNING a.ability_id, (a.xmax = 0) AS inserted
      """;

  private final PostgresConfig config;
  private final HikariDataSource dataSource;
  private final InstantSource clock;
  private final MigrationGate migrationGate;

  private PostgresRecordStore(PostgresConfig config, HikariDataSource dataSource, InstantSource clock) {
    this.config = config;
    this.dataSource = dataSource;
    this.clock = clock;
    this.migrationGate = new MigrationGate(config.location(), this::migrate, !config.migrate());
  }

  /**
   * Opens the store and, unless the configuration says otherwise, applies pending migrations.
   * With {@link PostgresConfig#startWhileDown()}, an unreachable server does not fail the
   * opening: the migrations wait for the first operation that finds the server back.
   *
   * @throws StoreUnavailableException if PostgreSQL cannot be reached (unless the configuration
   *     says to start while it is down) or the migration fails
   */
  public static PostgresRecordStore open(PostgresConfig config) {
    return open(config, InstantSource.system());
  }

  /** Opens the store with a clock for {@code created_at} and {@code updated_at}. */
  public static PostgresRecordStore open(PostgresConfig config, InstantSource clock) {
    HikariDataSource dataSource = new HikariDataSource(config.hikari("abilitystore-postgres",
        config.maximumPoolSize(), "SET statement_timeout = " + config.statementTimeout().toMillis()));
    PostgresRecordStore store = new PostgresRecordStore(config, dataSource, clock);
    log.info("[DB] PostgreSQL configured: true ({})", config.location());
    if (config.migrate()) {
      try {
        store.migrate();
      } catch (RuntimeException e) {
        if (config.startWhileDown() && SqlFailures.isServerUnreachable(e)) {
          log.warn("[DB] PostgreSQL at {} is unreachable ({}); starting without it: writes wait in the replication "
              + "queue until it is back", config.location(), SqlFailures.reason(e));
          return store;
        }
        dataSource.close();
        throw e;
      }
    }
    return store;
  }

  /**
   * Applies pending migrations and reports what it did.
   *
   * @throws StoreUnavailableException if PostgreSQL cannot be reached or a migration fails
   */
  public MigrationReport migrate() {
    try {
      MigrationReport report = SchemaMigrator.migrate(config);
      if (report.applied().isEmpty()) {
        log.info("[DB] Schema is up to date at version {}", report.schemaVersion());
      } else {
        log.info("[DB] Applied migrations {}; schema is at version {}", report.applied(), report.schemaVersion());
      }
      migrationGate.markMigrated();
      return report;
    } catch (FlywayException e) {
      throw new StoreUnavailableException("[DB] cannot migrate PostgreSQL at " + config.location() + ": "
          + rootMessage(e) + " (is the server running, does the database exist, may the user create tables?)", e);
    }
  }

  /** Returns usage counts kept in this database, on this store's connections; closing it closes nothing. */
  public UsageStore usageStore() {
    return new PostgresUsageStore(this);
  }

  /** Returns the configuration this store was opened with. */
  public PostgresConfig config() {
    return config;
  }

  DataSource dataSource() {
    return dataSource;
  }

  @Override
  public UpsertReport upsert(List<Ability> abilities) {
    return write(abilities, PrimaryWrite.SUCCEEDED).orElseThrow();
  }

  /** Writes the batch in a transaction while the primary writes it, and commits once the primary has succeeded. */
  @Override
  public Optional<UpsertReport> upsertAfter(List<Ability> abilities, PrimaryWrite primary) {
    return write(abilities, primary);
  }

  private Optional<UpsertReport> write(List<Ability> abilities, PrimaryWrite primary) {
    if (abilities.isEmpty()) {
      return primary.succeeded() ? Optional.of(UpsertReport.empty()) : Optional.empty();
    }
    Map<String, Ability> byId = new LinkedHashMap<>();
    for (Ability ability : abilities) {
      if (ability.embedding() == null) {
        throw new InvalidInputException("ability '" + ability.abilityId() + "' has no embedding; PostgreSQL's "
            + "embedding column is NOT NULL: embed it before storing");
      }
      byId.remove(ability.abilityId());
      byId.put(ability.abilityId(), ability);
    }
    logStoring(byId.keySet());
    long started = System.nanoTime();
    List<Ability> batch = List.copyOf(byId.values());
    // The pool puts autocommit back, and rolls back what is left uncommitted, when the connection returns.
    Optional<Map<String, WriteOutcome>> written = withConnection("upsert", connection -> {
      connection.setAutoCommit(false);
      try {
        Map<String, WriteOutcome> outcomes = batch.size() >= COPY_BATCH ? copyOrUpsert(connection, batch)
            : upsertRows(connection, batch);
        if (!primary.succeeded()) {
          connection.rollback();
          return Optional.empty();
        }
        connection.commit();
        return Optional.of(outcomes);
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(connection);
        throw e;
      }
    });
    if (written.isEmpty()) {
      log.info("[DB] Rolled back the upsert of {} abilities: the primary's write failed", batch.size());
      return Optional.empty();
    }
    Map<String, WriteOutcome> outcomes = new LinkedHashMap<>();
    for (String abilityId : byId.keySet()) {
      outcomes.put(abilityId, written.get().getOrDefault(abilityId, WriteOutcome.UNCHANGED));
    }
    UpsertReport report = new UpsertReport(outcomes);
    logStored(report, (System.nanoTime() - started) / 1_000_000);
    return Optional.of(report);
  }

  /**
   * The bulk path: reads which ids exist and with which hash, copies the new rows in (as fast as
   * PostgreSQL takes rows), upserts the changed ones and leaves the unchanged ones alone. Should
   * another writer insert one of the new ids meanwhile, the copy fails on the primary key and the
   * new rows are upserted instead.
   */
  private Map<String, WriteOutcome> copyOrUpsert(Connection connection, List<Ability> batch) throws SQLException {
    Map<String, @Nullable String> stored = new HashMap<>();
    try (PreparedStatement statement = connection.prepareStatement(
        "SELECT ability_id, content_hash FROM abilities WHERE ability_id = ANY (?)")) {
      statement.setArray(1, connection.createArrayOf("text", batch.stream().map(Ability::abilityId).toArray()));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          stored.put(rows.getString(1), rows.getString(2));
        }
      }
    }
    Map<String, WriteOutcome> outcomes = new HashMap<>();
    List<Ability> fresh = new ArrayList<>();
    List<Ability> changed = new ArrayList<>();
    for (Ability ability : batch) {
      if (!stored.containsKey(ability.abilityId())) {
        fresh.add(ability);
      } else if (ContentHash.of(ability).equals(stored.get(ability.abilityId()))) {
        outcomes.put(ability.abilityId(), WriteOutcome.UNCHANGED);
      } else {
        changed.add(ability);
      }
    }
    if (!changed.isEmpty()) {
      outcomes.putAll(upsertRows(connection, changed));
    }
    if (!fresh.isEmpty()) {
      Savepoint beforeCopy = connection.setSavepoint();
      try {
        CopyRows.copy(connection, fresh, clock.instant());
        fresh.forEach(ability -> outcomes.put(ability.abilityId(), WriteOutcome.INSERTED));
      } catch (SQLException e) {
        if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
          throw e;
        }
        connection.rollback(beforeCopy);
        outcomes.putAll(upsertRows(connection, fresh));
      }
    }
    return outcomes;
  }

  /** The statement path: one upsert statement for the batch; returns the inserted and updated ids. */
  private Map<String, WriteOutcome> upsertRows(Connection connection, List<Ability> batch) throws SQLException {
    Map<String, WriteOutcome> outcomes = new HashMap<>();
    try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
      bindBatch(connection, statement, batch);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          outcomes.put(rows.getString(1), rows.getBoolean(2) ? WriteOutcome.INSERTED : WriteOutcome.UPDATED);
        }
      }
    }
    return outcomes;
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      log.debug("[DB] rollback failed: {}", e.getMessage());
    }
  }

  private void bindBatch(Connection connection, PreparedStatement statement, List<Ability> batch)
      throws SQLException {
    int size = batch.size();
    String[] ids = new String[size];
    Integer[] vectorIds = new Integer[size];
    String[] names = new String[size];
    String[] services = new String[size];
    String[] descriptions = new String[size];
    String[] embeddings = new String[size];
    String[] keys = new String[size];
    Boolean[] required = new Boolean[size];
    String[] metadata = new String[size];
    String[] created = new String[size];
    String[] updated = new String[size];
    String[] hashes = new String[size];
    Instant now = clock.instant();
    for (int i = 0; i < size; i++) {
      Ability ability = batch.get(i);
      ids[i] = ability.abilityId();
      vectorIds[i] = ability.vectorId();
      names[i] = ability.abilityName();
      services[i] = ability.serviceName();
      descriptions[i] = ability.description();
      embeddings[i] = AbilityJson.embeddingJson(java.util.Objects.requireNonNull(ability.embedding()));
      keys[i] = AbilityJson.valueJson(ability.dynamicHeaderKeys());
      required[i] = ability.dynamicHeadersRequired();
      metadata[i] = AbilityJson.valueJson(ability.metadata());
      created[i] = AbilityRows.timestamp(ability.createdAt() == null ? now : ability.createdAt());
      updated[i] = AbilityRows.timestamp(ability.updatedAt() == null ? now : ability.updatedAt());
      hashes[i] = ContentHash.of(ability);
    }
    Array[] arrays = {connection.createArrayOf("text", ids), connection.createArrayOf("int4", vectorIds),
        connection.createArrayOf("text", names), connection.createArrayOf("text", services),
        connection.createArrayOf("text", descriptions), connection.createArrayOf("text", embeddings),
        connection.createArrayOf("text", keys), connection.createArrayOf("bool", required),
        connection.createArrayOf("text", metadata), connection.createArrayOf("text", created),
        connection.createArrayOf("text", updated), connection.createArrayOf("text", hashes)};
    for (int i = 0; i < arrays.length; i++) {
      statement.setArray(i + 1, arrays[i]);
    }
  }

  @Override
  public int delete(Collection<String> abilityIds) {
    if (abilityIds.isEmpty()) {
      return 0;
    }
    String[] ids = abilityIds.toArray(String[]::new);
    int deleted = withConnection("delete", connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "DELETE FROM abilities WHERE ability_id = ANY (?)")) {
        statement.setArray(1, connection.createArrayOf("text", ids));
        return statement.executeUpdate();
      }
    });
    log.info("[DB] Deleted {} of {} abilities from PostgreSQL", deleted, ids.length);
    return deleted;
  }

  @Override
  public Optional<Ability> get(String abilityId) {
    return withConnection("get", connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "SELECT " + AbilityRows.COLUMNS + " FROM abilities WHERE ability_id = ?")) {
        statement.setString(1, abilityId);
        try (ResultSet row = statement.executeQuery()) {
          return row.next() ? Optional.of(AbilityRows.read(row)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<Ability> getAll(Collection<String> abilityIds) {
    if (abilityIds.isEmpty()) {
      return List.of();
    }
    List<String> distinctIds = List.copyOf(new LinkedHashSet<>(abilityIds));
    return withConnection("get all", connection -> {
      List<Ability> found = new ArrayList<>();
      try (PreparedStatement statement = connection.prepareStatement(
          "SELECT " + AbilityRows.COLUMNS + " FROM abilities WHERE ability_id = ANY (?)")) {
        for (int from = 0; from < distinctIds.size(); from += GET_ALL_CHUNK) {
          List<String> chunk = distinctIds.subList(from, Math.min(from + GET_ALL_CHUNK, distinctIds.size()));
          statement.setArray(1, connection.createArrayOf("text", chunk.toArray()));
          try (ResultSet row = statement.executeQuery()) {
            while (row.next()) {
              found.add(AbilityRows.read(row));
            }
          }
        }
      }
      return found;
    });
  }

  @Override
  public Optional<EmbedderStamp> recordedEmbedder() {
    Map<String, String> settings = withConnection("read the embedder stamp", connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "SELECT key, value FROM abilitystore_settings WHERE key IN (?, ?)")) {
        statement.setString(1, EMBEDDER_MODEL_KEY);
        statement.setString(2, EMBEDDER_DIMENSION_KEY);
        Map<String, String> values = new HashMap<>();
        try (ResultSet row = statement.executeQuery()) {
          while (row.next()) {
            values.put(row.getString(1), row.getString(2));
          }
        }
        return values;
      }
    });
    String model = settings.get(EMBEDDER_MODEL_KEY);
    String dimension = settings.get(EMBEDDER_DIMENSION_KEY);
    if (model == null && dimension == null) {
      return Optional.empty();
    }
    if (model == null || dimension == null) {
      throw damagedStamp(model, dimension, null);
    }
    try {
      return Optional.of(new EmbedderStamp(model, Integer.parseInt(dimension)));
    } catch (IllegalArgumentException e) {
      throw damagedStamp(model, dimension, e);
    }
  }

  private AbilityStoreException damagedStamp(@Nullable String model, @Nullable String dimension,
      @Nullable RuntimeException cause) {
    String message = "[DB] the embedder stamp in abilitystore_settings at " + config.location() + " is damaged ("
        + EMBEDDER_MODEL_KEY + " = " + bounded(model) + ", " + EMBEDDER_DIMENSION_KEY + " = " + bounded(dimension)
        + "): delete both rows to have the store record its embedder again";
    return cause == null ? new AbilityStoreException(message) : new AbilityStoreException(message, cause);
  }

  @Override
  public void recordEmbedder(EmbedderStamp stamp) {
    withConnection("record the embedder stamp", connection -> {
      try (PreparedStatement statement = connection.prepareStatement("""
          INSERT INTO abilitystore_settings (key, value) VALUES (?, ?), (?, ?)
          ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
          """)) {
        statement.setString(1, EMBEDDER_MODEL_KEY);
        statement.setString(2, stamp.model());
        statement.setString(3, EMBEDDER_DIMENSION_KEY);
        statement.setString(4, Integer.toString(stamp.dimension()));
        return statement.executeUpdate();
      }
    });
    log.info("[DB] Recorded the embedder of the stored vectors in PostgreSQL: {}", stamp);
  }

  @Override
  public Page<Ability> query(AbilityQuery query) {
    FilterSql where = FilterSql.of(query.filter(), query.afterAbilityId());
    return page("query", where, query.limit());
  }

  @Override
  public Page<Ability> scan(@Nullable String afterAbilityId, int limit) {
    if (limit < 1 || limit > 10_000) {
      throw new InvalidInputException("scan limit must be between 1 and 10000, was " + limit);
    }
    return page("scan", FilterSql.of(AbilityFilter.ALL, afterAbilityId), limit);
  }

  /**
   * Returns up to {@code limit} ability ids after {@code afterAbilityId} (from the first when
   * null), in {@code ability_id COLLATE "C"} (code-point) order, as scans page: the ids a primary
   * that cannot list its own entries walks.
   *
   * @throws InvalidInputException if {@code limit} is not between 1 and 10000
   */
  public List<String> abilityIdsAfter(@Nullable String afterAbilityId, int limit) {
    if (limit < 1 || limit > 10_000) {
      throw new InvalidInputException("id page limit must be between 1 and 10000, was " + limit);
    }
    String sql = afterAbilityId == null
        ? "SELECT ability_id FROM abilities ORDER BY ability_id COLLATE \"C\" LIMIT ?"
        : "SELECT ability_id FROM abilities WHERE ability_id COLLATE \"C\" > ? ORDER BY ability_id COLLATE \"C\" LIMIT ?";
    return withConnection("list ability ids", connection -> {
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        int index = 1;
        if (afterAbilityId != null) {
          statement.setString(index++, afterAbilityId);
        }
        statement.setInt(index, limit);
        List<String> ids = new ArrayList<>(Math.min(limit, 1024));
        try (ResultSet row = statement.executeQuery()) {
          while (row.next()) {
            ids.add(row.getString(1));
          }
        }
        return ids;
      }
    });
  }

  /**
   * The ids of the page are chosen first and only their rows are converted to text: selecting the
   * columns straight away made PostgreSQL turn every matching row's embedding into text before
   * sorting and cutting to the page (950 rows for a 1 %-selective text filter over 100k).
   */
  static String pageSql(FilterSql where) {
    return "SELECT " + AbilityRows.COLUMNS + " FROM abilities WHERE ability_id IN (SELECT ability_id FROM abilities"
        + " WHERE " + where.clause() + " ORDER BY ability_id COLLATE \"C\" LIMIT ?) ORDER BY ability_id COLLATE \"C\"";
  }

  private Page<Ability> page(String operation, FilterSql where, int limit) {
    String sql = pageSql(where);
    List<Ability> rows = withConnection(operation, connection -> {
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        int index = QueryStatement.bind(connection, statement, where.parameters());
        statement.setInt(index, limit + 1);
        List<Ability> abilities = new ArrayList<>(limit + 1);
        try (ResultSet row = statement.executeQuery()) {
          while (row.next()) {
            abilities.add(AbilityRows.read(row));
          }
        }
        return abilities;
      }
    });
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    List<Ability> items = rows.subList(0, limit);
    return new Page<>(items, AbilityQuery.cursorAfter(items.get(limit - 1).abilityId()));
  }

  @Override
  public long count(AbilityFilter filter) {
    FilterSql where = FilterSql.of(filter, null);
    return withConnection("count", connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "SELECT count(*) FROM abilities WHERE " + where.clause())) {
        QueryStatement.bind(connection, statement, where.parameters());
        try (ResultSet row = statement.executeQuery()) {
          row.next();
          return row.getLong(1);
        }
      }
    });
  }

  @Override
  public List<ServiceCount> serviceCounts() {
    return withConnection("service counts", connection -> {
      try (PreparedStatement statement = connection.prepareStatement("""
          SELECT service_name, count(*),
                 count(*) FILTER (WHERE dynamic_headers_required IS NOT TRUE),
                 count(*) FILTER (WHERE dynamic_headers_required)
          FROM abilities GROUP BY service_name ORDER BY service_name COLLATE "C"
          """);
          ResultSet rows = statement.executeQuery()) {
        List<ServiceCount> counts = new ArrayList<>();
        while (rows.next()) {
          counts.add(new ServiceCount(rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getLong(4)));
        }
        return counts;
      }
    });
  }

  @Override
  public Health health() {
    try {
      awaitMigrated("a health check");
    } catch (RuntimeException e) {
      return Health.down(SqlFailures.isServerUnreachable(e)
          ? "PostgreSQL at " + config.location() + " is unreachable (" + SqlFailures.reason(e)
              + "); schema migrations are pending until it is back"
          : "PostgreSQL at " + config.location() + " answers, but schema migrations are pending: " + e.getMessage());
    }
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement("SELECT current_setting('server_version')");
        ResultSet row = statement.executeQuery()) {
      row.next();
      return Health.up("PostgreSQL " + row.getString(1) + " at " + config.location());
    } catch (SQLException e) {
      return Health.down("PostgreSQL at " + config.location() + " is unreachable: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }

  /**
   * Runs {@code work} on a pooled connection, once more if the connection itself failed; first
   * applies the migrations if the store started while the server was down.
   */
  <T> T withConnection(String operation, SqlWork<T> work) {
    awaitMigrated(operation);
    for (int attempt = 1; ; attempt++) {
      try (Connection connection = dataSource.getConnection()) {
        return work.run(connection);
      } catch (SQLException e) {
        if (attempt < ATTEMPTS && SqlFailures.isConnectionFailure(e) && !dataSource.isClosed()) {
          log.warn("[DB] {} lost its connection to {} ({}); retrying on a new one", operation, config.location(),
              e.getMessage());
          // When one connection died with its server, its idle siblings did too: drop them all at once.
          var pool = dataSource.getHikariPoolMXBean();
          if (pool != null) {
            pool.softEvictConnections();
          }
          continue;
        }
        throw SqlFailures.translate(operation, config.location(), e);
      }
    }
  }

  private void awaitMigrated(String operation) {
    if (!migrationGate.migrated() && !dataSource.isClosed()) {
      migrationGate.awaitMigrated(operation);
    }
  }

  private static String bounded(@Nullable String value) {
    if (value == null) {
      return "absent";
    }
    return "'" + (value.length() > 100 ? value.substring(0, 100) + "..." : value) + "'";
  }

  private static void logStoring(Collection<String> abilityIds) {
    boolean perAbilityInfo = abilityIds.size() <= PER_ABILITY_INFO_BATCH;
    for (String abilityId : abilityIds) {
      if (perAbilityInfo) {
        log.info("[DB] Storing ability in PostgreSQL: {}", abilityId);
      } else {
        log.debug("[DB] Storing ability in PostgreSQL: {}", abilityId);
      }
    }
  }

  private static void logStored(UpsertReport report, long elapsedMillis) {
    int size = report.outcomes().size();
    if (size <= PER_ABILITY_INFO_BATCH) {
      for (int i = 0; i < size; i++) {
        log.info("[DB] Successfully stored ability in PostgreSQL");
      }
    } else {
      log.info("[DB] Successfully stored {} abilities in PostgreSQL ({} inserted, {} updated, {} unchanged) in {} ms",
          size, report.inserted(), report.updated(), report.unchanged(), elapsedMillis);
    }
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }
}
