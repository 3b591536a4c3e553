package dev.abilitystore.server;

import static java.util.Objects.requireNonNull;

import dev.abilitystore.AbilityStore;
import dev.abilitystore.InvalidInputException;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.router.Endpoint;
import io.javalin.util.JavalinBindException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API and dashboard of an {@link AbilityStore}, on Javalin (Jetty 12) with requests
 * handled on virtual threads.
 *
 * <p>{@code /v1} is the API (see {@code /openapi.json}); {@code /health}, {@code /ready},
 * {@code /metrics}, {@code /openapi.json} and the dashboard's files at {@code /} stay open
 * whatever the {@link ServerConfig#apiKeys() keys}. Every error is an RFC 9457 problem
 * ({@code application/problem+json}); every answer carries an {@code X-Request-Id}.
 *
 * <pre>{@code
 * try (ApiServer server = ApiServer.start(store, ServerConfig.defaults().withPort(0))) {
 *   URI api = server.uri().resolve("/v1/search");
 * }
 * }</pre>
 *
 * <p>The server uses the store and does not own it: {@link #close()} leaves it open. Thread-safe.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  private static final String DASHBOARD_DIRECTORY = "dashboard";
  /** How long {@link #close()} lets requests in progress finish. */
  private static final int DRAIN_SECONDS = 10;
  /** Methods a metric may be tagged with; any other a client makes up is tagged OTHER. */
  private static final Set<String> STANDARD_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");

  private final Javalin javalin;
  private final ServerMetrics metrics;
  private final String host;
  private final int port;
  private final List<Route> routes;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ApiServer(Javalin javalin, ServerMetrics metrics, String host, List<Route> routes) {
    this.javalin = javalin;
    this.metrics = metrics;
    this.host = host;
    this.port = javalin.port();
    this.routes = routes;
  }

  /**
   * Starts serving {@code store} as {@code config} says and returns once the server listens.
   *
   * @throws InvalidInputException if the address cannot be bound (another process listens there,
   *     or the port needs privileges)
   */
  public static ApiServer start(AbilityStore store, ServerConfig config) {
    requireNonNull(store, "store");
    requireNonNull(config, "config");
    ServerMetrics metrics = new ServerMetrics(store);
    List<Route> routes = new CopyOnWriteArrayList<>();
    Javalin javalin;
    try {
      javalin = Javalin.create(javalinConfig -> configure(javalinConfig, store, config, metrics, routes));
      javalin.start(config.host(), config.port());
    } catch (JavalinBindException e) {
      metrics.close();
      throw new InvalidInputException("[HTTP] cannot listen on " + config.host() + ":" + config.port()
          + ": another process listens there, or the port needs privileges; choose another port", e);
    } catch (RuntimeException e) {
      metrics.close();
      throw e;
    }
    ApiServer server = new ApiServer(javalin, metrics, config.host(), List.copyOf(routes));
    log.info("[HTTP] Listening on {} ({})", server.uri(), config);
    return server;
  }

  /** Returns the port the server listens on: the configured one, or the one chosen for port 0. */
  public int port() {
    return port;
  }

  /**
   * Returns the base URI of the server, {@code http://127.0.0.1:<port>} for a server bound to
   * the loopback or to every interface.
   */
  public URI uri() {
    String address = switch (host) {
      case "0.0.0.0", "::", "[::]" -> "127.0.0.1";
      default -> host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    };
    return URI.create("http://" + address + ":" + port());
  }

  /** Returns every route the server answers, for the test that holds them against {@code /openapi.json}. */
  List<Route> routes() {
    return routes;
  }

  /**
   * Stops listening, waits up to {@value #DRAIN_SECONDS} s for requests in progress to finish
   * (so that the store can be closed next), and stops. The store stays open. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      javalin.stop();
    } finally {
      metrics.close();
      log.info("[HTTP] Stopped listening on port {}", port);
    }
  }

  private static void configure(JavalinConfig javalin, AbilityStore store, ServerConfig config,
      ServerMetrics metrics, List<Route> routes) {
    javalin.startup.showJavalinBanner = false;
    javalin.startup.showOldJavalinVersionWarning = false;
    javalin.concurrency.useVirtualThreads = true;
    javalin.http.prefer405over404 = true;
    javalin.http.maxRequestSize = config.maxBodyBytes();
    configureJetty(javalin, routes);
    javalin.requestLogger.http((ctx, millis) -> recordRequest(metrics, ctx, millis));
    javalin.events.handlerAdded(handler -> {
      if (handler.getHttpMethod().isHttpMethod()) {
        routes.add(new Route(handler.getHttpMethod().name(), handler.getPath()));
      }
    });
    if (ApiServer.class.getClassLoader().getResource(DASHBOARD_DIRECTORY) != null) {
      javalin.staticFiles.add(files -> {
        files.hostedPath = "/";
        files.directory = "/" + DASHBOARD_DIRECTORY;
        files.location = Location.CLASSPATH;
      });
    }
    addRoutes(javalin.routes, store, config, metrics);
  }

  private static void configureJetty(JavalinConfig javalin, List<Route> routes) {
    javalin.jetty.threadPool = threadPool();
    // Jetty caches header values per connection and by default matches them ignoring case: a key
    // differing from one sent earlier on the connection only in case would read as that key.
    javalin.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
    javalin.jetty.modifyServer(server -> {
      server.insertHandler(new GracefulHandler());
      server.insertHandler(new JettyProblems.MethodGuard(routes));
      server.setErrorHandler(new JettyProblems.ProblemErrorHandler());
      server.setStopTimeout(TimeUnit.SECONDS.toMillis(DRAIN_SECONDS));
    });
    javalin.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JettyProblems.ProblemErrorHandler()));
  }

  private static void addRoutes(RoutesConfig router, AbilityStore store, ServerConfig config, ServerMetrics metrics) {
    RequestBody body = new RequestBody(config.maxBodyBytes());
    ApiKeyAuthentication authentication = new ApiKeyAuthentication(config.apiKeys(), config.openReads());
    AbilityEndpoints abilities = new AbilityEndpoints(store, body);
    SearchEndpoint search = new SearchEndpoint(store, body, metrics);
    StoreEndpoints catalogue = new StoreEndpoints(store, body);
    ProbeEndpoints probes = new ProbeEndpoints(store, metrics, !config.authenticationEnabled());

    router.exception(Exception.class, ProblemResponses::handle);
    router.exception(HttpResponseException.class, ProblemResponses::handle);
    router.before(RequestIds::assign);
    router.before("/v1/*", authentication::check);
    router.post("/v1/abilities", abilities::store);
    router.get("/v1/abilities", abilities::list);
    router.get("/v1/abilities/{" + AbilityEndpoints.ID_PARAMETER + "}", abilities::get);
    router.delete("/v1/abilities/{" + AbilityEndpoints.ID_PARAMETER + "}", abilities::delete);
    router.post("/v1/search", search::search);
    router.get("/v1/services", catalogue::services);
    router.get("/v1/stats", catalogue::stats);
    router.post("/v1/sync", catalogue::sync);
    router.get("/health", probes::health);
    router.get("/ready", probes::ready);
    router.get("/metrics", probes::metrics);
    router.get("/openapi.json", probes::openApi);
  }

  /** Jetty's selectors on platform threads, every request handled on a virtual thread of its own. */
  private static QueuedThreadPool threadPool() {
    QueuedThreadPool pool = new QueuedThreadPool();
    pool.setName("abilitystore-http");
    pool.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(
        Thread.ofVirtual().name("abilitystore-http-", 0).factory()));
    return pool;
  }

  private static void recordRequest(ServerMetrics metrics, Context ctx, float millis) {
    Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
    int status = ctx.statusCode();
    String route = endpoint != null ? endpoint.path : status < 400 ? "static" : "unmatched";
    String method = endpoint != null ? endpoint.method.name()
        : STANDARD_METHODS.contains(ctx.method().name()) ? ctx.method().name() : "OTHER";
    Duration elapsed = Duration.ofNanos((long) (millis * 1_000_000L));
    metrics.recordRequest(method, route, status, elapsed);
    if (log.isDebugEnabled()) {
      log.debug("[HTTP] {} {} {} {} ms (request {})", ctx.method().name(), ctx.path(), status,
          Math.round(millis), RequestIds.of(ctx));
    }
  }

  /**
   * One route the server answers.
   *
   * @param method the HTTP method, such as {@code GET}
   * @param path the path template, such as {@code /v1/abilities/{ability_id}}
   */
  record Route(String method, String path) {}
}
