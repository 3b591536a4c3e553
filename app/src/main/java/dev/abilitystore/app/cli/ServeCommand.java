package dev.abilitystore.app.cli;

import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.app.ImportReport;
import dev.abilitystore.app.ImportSource;
import dev.abilitystore.app.Importer;
import dev.abilitystore.app.ProgressDisplay;
import dev.abilitystore.app.Settings;
import dev.abilitystore.app.Wiring;
import dev.abilitystore.json.AbilityReader;
import dev.abilitystore.sample.SampleCatalogue;
import dev.abilitystore.server.ApiServer;
import dev.abilitystore.server.ServerConfig;
import dev.abilitystore.sync.SyncDirection;
import dev.abilitystore.sync.SyncProgress;
import dev.abilitystore.sync.SyncReport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Runs the HTTP API and the dashboard over the configured stores until the process is stopped.
 *
 * <p>On start-up, an empty index is filled before anything else touches the stores: from
 * PostgreSQL when it holds abilities (a new data directory beside an existing database, such as
 * the original system's), else with the sample catalogue. Only then does the background
 * reconciliation of {@code ABILITYSTORE_SYNC_ON_START} run, since from an empty index it would
 * have deleted PostgreSQL's rows as extra.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Serve the HTTP API (/v1), the dashboard (/) and the API's description (/openapi.json) over the "
        + "index under the data directory, and PostgreSQL when DATABASE_URL is set, until stopped (Ctrl-C, SIGTERM).",
        "On the first start, an empty index is restored from PostgreSQL when it holds abilities, or else loaded "
            + "with the sample catalogue (unless --no-sample). Listens on 127.0.0.1:8080 unless ABILITYSTORE_HOST "
            + "and ABILITYSTORE_PORT (--port) say otherwise; with ABILITYSTORE_API_KEYS, /v1 needs "
            + "'Authorization: Bearer <key>'."},
    footer = ExitCodes.FOOTER)
final class ServeCommand extends BaseCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  @Option(names = "--port", paramLabel = "PORT",
      description = "TCP port, 0 for any free one (env ABILITYSTORE_PORT; default " + Settings.DEFAULT_PORT + ").")
  @Nullable String port;

  @Option(names = "--no-sample", description = "Leave an empty index empty: do not load the sample catalogue.")
  boolean noSample;

  @Override
  public Integer call() throws InterruptedException {
    if (root().urlOption()) {
      throw new ParameterException(spec.commandLine(), "'serve' runs a server; --url is for commands that talk to "
          + "one");
    }
    Settings settings = root().settings(port == null ? Map.of() : Map.of(Settings.PORT, port));
    log.info("[App] Serving with {}", settings);
    AbilityStore store = Wiring.openStore(settings.withSyncOnStart(false));
    AtomicReference<@Nullable ApiServer> started = new AtomicReference<>();
    Thread shutdown = Thread.ofPlatform().name("abilitystore-shutdown").unstarted(() -> {
      log.info("[App] Stopping: closing the server, then the stores");
      ApiServer running = started.get();
      if (running != null) {
        running.close();
      }
      store.close();
    });
    Runtime.getRuntime().addShutdownHook(shutdown);
    ApiServer server;
    try {
      boolean forwardSyncSafe = fillEmptyIndex(store);
      if (settings.syncOnStart() && store.secondary().enabled() && forwardSyncSafe) {
        Thread.ofVirtual().name("abilitystore-startup-sync").start(store::syncAfterStart);
      }
      Settings.Http http = settings.http();
      server = ApiServer.start(store, new ServerConfig(http.host(), http.port(), http.apiKeys(), http.openReads(),
          http.maxBodyBytes()));
      started.set(server);
    } catch (RuntimeException e) {
      Runtime.getRuntime().removeShutdownHook(shutdown);
      store.close();
      throw e;
    }
    String host = settings.http().host();
    out().printf("Ability Store listening on http://%s:%d (dashboard at /, API at /v1, docs at /openapi.json)%n",
        host.contains(":") ? "[" + host + "]" : host, server.port());
    out().flush();
    new CountDownLatch(1).await();
    return ExitCodes.OK;
  }

  /**
   * Fills an empty index: from PostgreSQL when it holds abilities, else with the sample
   * catalogue. Returns false when PostgreSQL's state is unknown, so that a primary-to-secondary
   * sync must not run (it would delete what PostgreSQL holds).
   */
  private boolean fillEmptyIndex(AbilityStore store) {
    if (!store.secondary().enabled() && root().settings().vectorDb() != null) {
      log.info("[App] Infraxa cannot say whether it is empty without PostgreSQL's ids: not loading the sample "
          + "catalogue");
      return true;
    }
    if (!store.primary().scan(null, 1).items().isEmpty()) {
      return true;
    }
    if (store.secondary().enabled()) {
      long rows;
      try {
        rows = store.secondary().count(AbilityFilter.ALL);
      } catch (RuntimeException e) {
        log.warn("[App] The index is empty and PostgreSQL cannot be read ({}): leaving both as they are; when "
            + "PostgreSQL is back, `abilitystore sync --direction secondary-to-primary` restores the index from it, "
            + "or the next start does", e.getMessage());
        return false;
      }
      if (rows > 0) {
        log.info("[App] The index is empty and PostgreSQL holds {} abilities: restoring the index from PostgreSQL",
            rows);
        SyncReport report = store.sync(SyncDirection.SECONDARY_TO_PRIMARY, false, SyncProgress.NONE);
        log.info("[App] Restored {} abilities into the index from PostgreSQL in {} ms", report.repaired(),
            report.durationMs());
        return true;
      }
    }
    if (noSample) {
      log.info("[App] The index is empty; not loading the sample catalogue (--no-sample)");
      return true;
    }
    if (Wiring.modelOf(store.embedder()) == null && !sampleCarriesVectors(store.primary().dimension())) {
      log.info("[App] The index is empty; not loading the sample catalogue: it carries no {}-dimension vectors and "
          + "{}=none embeds nothing (import abilities with embeddings, or choose an embedder)",
          store.primary().dimension(), Settings.EMBEDDER);
      return true;
    }
    log.info("[App] The index is empty: loading the sample catalogue (first start; --no-sample skips this)");
    ImportReport report = new Importer(store.primary().dimension(), store::store, 100, ProgressDisplay.none(),
        "import").run(List.of(ImportSource.sampleCatalogue()), false);
    log.info("[App] Loaded the sample catalogue: {} abilities in {} ms", report.read(), report.elapsed().toMillis());
    return true;
  }

  private static boolean sampleCarriesVectors(int dimension) {
    try (AbilityReader reader = SampleCatalogue.open()) {
      while (reader.hasNext()) {
        var embedding = reader.next().embedding();
        if (embedding == null || embedding.dimension() != dimension) {
          return false;
        }
      }
    }
    return true;
  }
}
