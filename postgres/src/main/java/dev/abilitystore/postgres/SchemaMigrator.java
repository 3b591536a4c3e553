package dev.abilitystore.postgres;

import com.zaxxer.hikari.HikariDataSource;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the migrations under {@code db/migration/abilitystore} with Flyway.
 *
 * <p>The history lives in its own table, {@value #HISTORY_TABLE}, so that it never meets another
 * application's Flyway history in the same schema. A schema that already has tables but no
 * history — the original system's database — is baselined at version 0, below V1, so V1 runs
 * (its {@code IF NOT EXISTS} leaves the original table alone) and later migrations follow.
 * Flyway holds an advisory lock while it works, so concurrent starts migrate once.
 *
 * <p>Migrations run on a connection of their own, without the store's statement timeout (an
 * index on a large table takes longer); it never joins the store's pool, so the setting cannot
 * leak into it.
 *
 * <p>The store migrates on every start; when the schema is current, Flyway only reads its history,
 * so a runtime role without any DDL right starts. Around Flyway, {@link PrivilegeCheck} makes sure
 * the role has a schema to work in and may read the history (before), and holds every privilege
 * the running store needs (after), naming what it lacks otherwise.
 */
final class SchemaMigrator {
  static final String HISTORY_TABLE = "abilitystore_schema_history";

  private SchemaMigrator() {}

  static MigrationReport migrate(PostgresConfig config) {
    try (HikariDataSource dataSource = new HikariDataSource(config.hikari("abilitystore-migration", 2,
        "SET statement_timeout = 0"))) {
      PrivilegeCheck.beforeMigrating(dataSource, config);
      Flyway flyway = configure(dataSource).load();
      MigrateResult result = flyway.migrate();
      PrivilegeCheck.afterMigrating(dataSource, config);
      List<String> applied = result.migrations.stream()
          .map(migration -> "V" + migration.version + " " + migration.description)
          .toList();
      MigrationInfo current = flyway.info().current();
      return new MigrationReport(applied, current == null ? "none" : current.getVersion().getVersion());
    }
  }

  /** Returns Flyway configured for the store's migrations and history table on {@code dataSource}. */
  static FluentConfiguration configure(DataSource dataSource) {
    return Flyway.configure(SchemaMigrator.class.getClassLoader())
        .dataSource(dataSource)
        .locations("classpath:db/migration/abilitystore")
        .table(HISTORY_TABLE)
        .baselineOnMigrate(true)
        .baselineVersion("0");
  }
}
