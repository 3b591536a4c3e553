package dev.abilitystore.postgres;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityStoreException;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.json.AbilityJson;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Rows of the {@code abilities} table as {@link Ability} values.
 *
 * <p>{@code TIMESTAMP} columns carry no zone; they are read and written as UTC, truncated to
 * PostgreSQL's microsecond precision. Rows written by other tools may hold NULL where the
 * original DDL allows it: NULL header keys read as none, NULL metadata as empty.
 */
final class AbilityRows {
  static final String COLUMNS = "ability_id, ability_name, service_name, description, embedding::text, "
      + "dynamic_header_keys::text, metadata::text, created_at, updated_at";

  private AbilityRows() {}

  static Ability read(ResultSet row) throws SQLException {
    String abilityId = row.getString(1);
    try {
      String keys = row.getString(6);
      String metadata = row.getString(7);
      List<String> headerKeys = keys == null ? List.of() : AbilityJson.parseStringList(keys);
      Map<String, @Nullable Object> metadataMap = metadata == null ? Map.of() : AbilityJson.parseObject(metadata);
      return new Ability(abilityId, row.getString(2), row.getString(3), row.getString(4),
          AbilityJson.parseEmbedding(row.getString(5)), headerKeys, metadataMap,
          instant(row.getObject(8, LocalDateTime.class)), instant(row.getObject(9, LocalDateTime.class)));
    } catch (InvalidInputException e) {
      throw new AbilityStoreException("[DB] row '" + abilityId + "' of table abilities cannot be read as an ability: "
          + e.getMessage(), e);
    }
  }

  static @Nullable Instant instant(@Nullable LocalDateTime utc) {
    return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
  }

  static String timestamp(Instant instant) {
    return LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC).toString();
  }

  static LocalDateTime localDateTime(Instant instant) {
    return LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }
}
