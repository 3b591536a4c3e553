package dev.abilitystore.bench;

import dev.abilitystore.Ability;
import dev.abilitystore.identity.ContentHash;
import dev.abilitystore.json.AbilityJson;
import dev.abilitystore.postgres.PostgresConfig;
import dev.abilitystore.postgres.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * The raw PostgreSQL side of the ingest part: {@code COPY ... FROM STDIN} of the rows the store
 * writes (the same twelve columns, encoded as the store encodes them), into {@value #TABLE},
 * a fresh {@code LIKE abilities INCLUDING ALL} copy of the store's table: the same column types,
 * storage and compression settings, defaults and indexes. Autocommit: each batch is one COPY and
 * one transaction. Timed from the abilities in memory to the committed rows, as a plain client
 * would write them: each row is encoded as COPY text and sent as soon as it is ready, so encoding
 * overlaps the server's work. Not thread-safe.
 */
final class RawPostgresCopy implements AutoCloseable {
  static final String TABLE = "abilities_raw_copy";
  private static final String COPY = "COPY " + TABLE + " (ability_id, vector_id, ability_name, service_name, "
      + "description, embedding, dynamic_header_keys, dynamic_headers_required, metadata, created_at, updated_at, "
      + "content_hash) FROM STDIN";

  private final Connection connection;
  private final CopyManager copy;

  /** Drops and recreates {@value #TABLE} beside the migrated {@code abilities} table of {@code postgres}. */
  RawPostgresCopy(PostgresConfig postgres) throws SQLException {
    this.connection = TestPostgres.connect(postgres);
    try (Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS " + TABLE);
      statement.execute("CREATE TABLE " + TABLE + " (LIKE abilities INCLUDING ALL)");
      try (ResultSet settings = statement.executeQuery("SELECT count(DISTINCT (attstorage, attcompression)) "
          + "FROM pg_attribute WHERE attrelid IN ('abilities'::regclass, '" + TABLE + "'::regclass) "
          + "AND attname = 'embedding'")) {
        if (!settings.next() || settings.getInt(1) != 1) {
          throw new IllegalStateException(TABLE + " does not store embeddings as table abilities does");
        }
      }
    }
    this.copy = connection.unwrap(PGConnection.class).getCopyAPI();
  }

  /** Copies one batch in its own transaction; returns the nanoseconds it took. */
  long copy(List<Ability> batch) throws SQLException {
    long started = System.nanoTime();
    String timestamp = LocalDateTime.ofInstant(Instant.now().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC).toString();
    CopyIn copyIn = copy.copyIn(COPY);
    try {
      StringBuilder text = new StringBuilder(4096);
      for (Ability ability : batch) {
        text.setLength(0);
        field(text, ability.abilityId()).append('\t').append(ability.vectorId()).append('\t');
        field(text, ability.abilityName()).append('\t');
        field(text, ability.serviceName()).append('\t');
        field(text, ability.description()).append('\t');
        text.append(AbilityJson.embeddingJson(Objects.requireNonNull(ability.embedding()))).append('\t');
        field(text, AbilityJson.valueJson(ability.dynamicHeaderKeys())).append('\t');
        text.append(ability.dynamicHeadersRequired() ? 't' : 'f').append('\t');
        field(text, AbilityJson.valueJson(ability.metadata())).append('\t');
        text.append(timestamp).append('\t').append(timestamp).append('\t');
        text.append(ContentHash.of(ability)).append('\n');
        byte[] row = text.toString().getBytes(StandardCharsets.UTF_8);
        copyIn.writeToCopy(row, 0, row.length);
      }
      copyIn.endCopy();
    } finally {
      if (copyIn.isActive()) {
        copyIn.cancelCopy();
      }
    }
    return System.nanoTime() - started;
  }

  /** COPY's text format: backslash, tab, newline and carriage return are escaped. */
  private static StringBuilder field(StringBuilder text, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> text.append("\\\\");
        case '\t' -> text.append("\\t");
        case '\n' -> text.append("\\n");
        case '\r' -> text.append("\\r");
        default -> text.append(c);
      }
    }
    return text;
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
