package dev.abilitystore.app.cli;

import dev.abilitystore.postgres.DatabaseBootstrap;
import dev.abilitystore.postgres.MigrationReport;
import dev.abilitystore.postgres.PostgresConfig;
import dev.abilitystore.postgres.PostgresRecordStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** PostgreSQL housekeeping. */
@Command(name = "db", mixinStandardHelpOptions = true, description = "PostgreSQL housekeeping.",
    subcommands = {DbCommand.Migrate.class, DbCommand.Create.class}, footer = ExitCodes.FOOTER)
final class DbCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "say which: db migrate or db create");
  }

  @Command(name = "migrate", mixinStandardHelpOptions = true,
      description = "Apply pending schema migrations to the database of DATABASE_URL.", footer = ExitCodes.FOOTER)
  static final class Migrate extends BaseCommand implements Callable<Integer> {
    @Option(names = "--create-database", description = "Create the database first if it does not exist.")
    boolean createDatabase;

    @Override
    public Integer call() {
      refuseUrl();
      PostgresConfig config = settings().requirePostgres(commandName()).toBuilder().migrate(false).build();
      if (createDatabase && DatabaseBootstrap.createDatabaseIfMissing(config)) {
        out().printf("created database %s%n", config.database());
      }
      try (PostgresRecordStore store = PostgresRecordStore.open(config)) {
        MigrationReport report = store.migrate();
        if (report.applied().isEmpty()) {
          out().printf("%s: schema is up to date at version %s%n", config.location(), report.schemaVersion());
        } else {
          out().printf("%s: applied %s; schema is at version %s%n", config.location(),
              String.join(", ", report.applied()), report.schemaVersion());
        }
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create the database of DATABASE_URL if it does not exist.", footer = ExitCodes.FOOTER)
  static final class Create extends BaseCommand implements Callable<Integer> {
    @Override
    public Integer call() {
      refuseUrl();
      PostgresConfig config = settings().requirePostgres(commandName());
      boolean created = DatabaseBootstrap.createDatabaseIfMissing(config);
      out().printf("%s database %s%n", created ? "created" : "found existing", config.database());
      return ExitCodes.OK;
    }
  }
}
