package dev.abilitystore.postgres;

import dev.abilitystore.usage.AbilityUsage;
import dev.abilitystore.usage.ServiceUsage;
import dev.abilitystore.usage.UsageReport;
import dev.abilitystore.usage.UsageStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Usage counts in PostgreSQL ({@code abilitystore_usage}, V4), on the record store's pool: each
 * flush adds its increments in one transaction, so counts from several processes add up.
 * Thread-safe.
 */
final class PostgresUsageStore implements UsageStore {
  private static final String SEARCHES = "searches";

  private final PostgresRecordStore store;

  PostgresUsageStore(PostgresRecordStore store) {
    this.store = store;
  }

  @Override
  public void add(long searches, Collection<AbilityUsage> abilities) {
    String[] ids = new String[abilities.size()];
    String[] services = new String[ids.length];
    Long[] hits = new Long[ids.length];
    Long[] fetches = new Long[ids.length];
    Timestamp[] lastUsed = new Timestamp[ids.length];
    int i = 0;
    for (AbilityUsage usage : abilities) {
      ids[i] = usage.abilityId();
      services[i] = usage.serviceName();
      hits[i] = usage.hits();
      fetches[i] = usage.fetches();
      lastUsed[i] = usage.lastUsedAt() == null ? null : Timestamp.from(usage.lastUsedAt());
      i++;
    }
    store.withConnection("save usage counts", connection -> {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try (PreparedStatement counts = connection.prepareStatement("""
              INSERT INTO abilitystore_usage AS u (ability_id, service_name, hits, fetches, last_used_at)
              SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::timestamptz[])
              ON CONFLICT (ability_id) DO UPDATE SET
                  service_name = EXCLUDED.service_name,
                  hits = u.hits + EXCLUDED.hits,
                  fetches = u.fetches + EXCLUDED.fetches,
                  last_used_at = GREATEST(u.last_used_at, EXCLUDED.last_used_at)
              """);
          PreparedStatement totals = connection.prepareStatement("""
              INSERT INTO abilitystore_usage_totals AS t (name, value) VALUES (?, ?)
              ON CONFLICT (name) DO UPDATE SET value = t.value + EXCLUDED.value
              """)) {
        counts.setArray(1, connection.createArrayOf("text", ids));
        counts.setArray(2, connection.createArrayOf("text", services));
        counts.setArray(3, connection.createArrayOf("int8", hits));
        counts.setArray(4, connection.createArrayOf("int8", fetches));
        counts.setArray(5, connection.createArrayOf("timestamptz", lastUsed));
        counts.executeUpdate();
        totals.setString(1, SEARCHES);
        totals.setLong(2, searches);
        totals.executeUpdate();
        connection.commit();
      } catch (java.sql.SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
      return null;
    });
  }

  @Override
  public UsageReport report(int top) {
    return store.withConnection("read usage counts", connection -> {
      long searches = 0;
      try (PreparedStatement statement = connection.prepareStatement(
              "SELECT value FROM abilitystore_usage_totals WHERE name = ?")) {
        statement.setString(1, SEARCHES);
        try (ResultSet row = statement.executeQuery()) {
          if (row.next()) {
            searches = row.getLong(1);
          }
        }
      }
      List<AbilityUsage> abilities = new ArrayList<>();
      try (PreparedStatement statement = connection.prepareStatement("""
              SELECT ability_id, service_name, hits, fetches, last_used_at FROM abilitystore_usage
              ORDER BY hits + fetches DESC, ability_id COLLATE "C" LIMIT ?
              """)) {
        statement.setInt(1, top);
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            Timestamp lastUsed = rows.getTimestamp(5);
            Instant at = lastUsed == null ? null : lastUsed.toInstant();
            abilities.add(new AbilityUsage(rows.getString(1), rows.getString(2), rows.getLong(3), rows.getLong(4), at));
          }
        }
      }
      List<ServiceUsage> services = new ArrayList<>();
      try (PreparedStatement statement = connection.prepareStatement("""
              SELECT service_name, sum(hits), sum(fetches) FROM abilitystore_usage GROUP BY service_name
              ORDER BY sum(hits) + sum(fetches) DESC, service_name COLLATE "C"
              """);
          ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          services.add(new ServiceUsage(rows.getString(1), rows.getLong(2), rows.getLong(3)));
        }
      }
      return new UsageReport(searches, abilities, services);
    });
  }
}
