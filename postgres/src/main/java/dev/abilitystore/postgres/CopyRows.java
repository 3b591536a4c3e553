package dev.abilitystore.postgres;

import dev.abilitystore.Ability;
import dev.abilitystore.identity.ContentHash;
import dev.abilitystore.json.AbilityJson;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * New rows of the {@code abilities} table written with {@code COPY ... FROM STDIN} in the text
 * format, with the columns and values the upsert statement writes. Each row is encoded and sent
 * as soon as it is ready, so the client's encoding of one row (its embedding's JSON, above all)
 * overlaps the server's parsing of the previous ones.
 */
final class CopyRows {
  static final String COPY = "COPY abilities (ability_id, vector_id, ability_name, service_name, description, "
      + "embedding, dynamic_header_keys, dynamic_headers_required, metadata, created_at, updated_at, content_hash) "
      + "FROM STDIN";

  private CopyRows() {}

  /**
   * Copies {@code abilities} into the table as new rows, in the connection's transaction; a
   * missing {@code created_at} or {@code updated_at} becomes {@code now}.
   *
   * @throws SQLException if a row exists already (a unique violation), among others
   */
  static void copy(Connection connection, List<Ability> abilities, Instant now) throws SQLException {
    CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
    try {
      StringBuilder row = new StringBuilder(4096);
      for (Ability ability : abilities) {
        row.setLength(0);
        byte[] bytes = encode(row, ability, now).toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
      }
      copy.endCopy();
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }

  /** Appends one row, tab-separated and newline-terminated. */
  static StringBuilder encode(StringBuilder row, Ability ability, Instant now) {
    text(row, ability.abilityId()).append('\t').append(ability.vectorId()).append('\t');
    text(row, ability.abilityName()).append('\t');
    text(row, ability.serviceName()).append('\t');
    text(row, ability.description()).append('\t');
    // Digits, signs, points, exponents, commas and brackets only: nothing to escape.
    row.append(AbilityJson.embeddingJson(Objects.requireNonNull(ability.embedding()))).append('\t');
    text(row, AbilityJson.valueJson(ability.dynamicHeaderKeys())).append('\t');
    row.append(ability.dynamicHeadersRequired() ? 't' : 'f').append('\t');
    text(row, AbilityJson.valueJson(ability.metadata())).append('\t');
    row.append(AbilityRows.timestamp(ability.createdAt() == null ? now : ability.createdAt())).append('\t');
    row.append(AbilityRows.timestamp(ability.updatedAt() == null ? now : ability.updatedAt())).append('\t');
    return row.append(ContentHash.of(ability)).append('\n');
  }

  /** COPY's text format escapes backslash, tab, newline and carriage return; nothing else. */
  private static StringBuilder text(StringBuilder row, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> row.append("\\\\");
        case '\t' -> row.append("\\t");
        case '\n' -> row.append("\\n");
        case '\r' -> row.append("\\r");
        default -> row.append(c);
      }
    }
    return row;
  }
}
