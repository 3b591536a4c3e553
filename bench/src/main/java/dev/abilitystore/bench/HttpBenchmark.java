package dev.abilitystore.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.abilitystore.Ability;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.SearchRequest;
import dev.abilitystore.embed.HashingEmbedder;
import dev.abilitystore.embeddings.OnnxEmbedder;
import dev.abilitystore.json.AbilityJson;
import dev.abilitystore.lucene.LuceneConfig;
import dev.abilitystore.lucene.LuceneVectorIndex;
import dev.abilitystore.port.Embedder;
import dev.abilitystore.postgres.PostgresConfig;
import dev.abilitystore.postgres.PostgresRecordStore;
import dev.abilitystore.server.ApiServer;
import dev.abilitystore.server.ServerConfig;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP API end to end: {@link ApiServer} in this process on a loopback port, over an
 * {@link AbilityStore} on Lucene and PostgreSQL preloaded with {@value #PRELOAD} abilities, driven
 * by {@link LoadGenerator} through the JDK's {@link HttpClient} (HTTP/1.1, kept-alive
 * connections) from the same process, after a warm-up of every operation.
 *
 * <ol>
 *   <li>Side by side at concurrency 1, call by call in alternating order: each operation over
 *       HTTP and the same operation on the store in-process ({@code inprocess_*}), so that the
 *       ratio is what HTTP, JSON, the server and the client add: hybrid search ({@code POST
 *       /v1/search}, k = 10), get ({@code GET /v1/abilities/{id}} of a preloaded ability, which
 *       the store's read cache holds after its first fetch), store ({@code POST /v1/abilities},
 *       batches of {@value #STORE_BATCH} new abilities the server embeds).</li>
 *   <li>Under load, at each concurrency of {@link #CONCURRENCY}: search, get, store, and a mix of
 *       80 % search and 20 % store (each also on its own); throughput, latency and errors, which
 *       must be 0.</li>
 *   <li>Search with the bundled local model ({@code OnnxEmbedder}) in place of the hashing
 *       embedder, on a Lucene-only store of the same abilities, at concurrency 1 beside the same
 *       search in-process and the query embedding alone ({@code embed_p50_ms}): the model's
 *       share of a real search.</li>
 * </ol>
 * Everywhere else the store embeds with {@link HashingEmbedder}, which costs microseconds: with
 * the local model, embedding the query would dominate every search and hide the API's own cost.
 * Every search asks a new text, so none is answered from the store's cache of query embeddings.
 * Client, server and store share the machine's cores, as a loopback benchmark must.
 */
final class HttpBenchmark implements BenchPart {
  private static final int DIMENSION = 384;
  private static final int PRELOAD = 5_000;
  private static final int PRELOAD_BATCH = 500;
  private static final int STORE_BATCH = 10;
  private static final int K = 10;
  private static final List<Integer> CONCURRENCY = List.of(8, 32);
  private static final Settings QUICK = new Settings(Duration.ofSeconds(2), 300, 50, Duration.ofSeconds(5), 2_000,
      Duration.ofSeconds(3));
  private static final Settings FULL = new Settings(Duration.ofSeconds(15), 2_000, 500, Duration.ofSeconds(60), 20_000,
      Duration.ofSeconds(30));
  /** Concurrency of the warm-up. */
  private static final int WARM_UP_WORKERS = 4;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DUAL_STORE = "lucene+postgres";

  /**
   * How long each measurement runs.
   *
   * @param warmUpBound how long each operation is warmed up, over HTTP and in-process
   * @param sideBySideCalls the most calls per variant at concurrency 1 (reads)
   * @param sideBySideWrites the most calls per variant at concurrency 1 (stores, and searches with the model)
   * @param sideBySideBound the time bound of one side-by-side measurement
   * @param loadRequests the most requests of one run under load
   * @param loadBound the time bound of one run under load: no request starts after it
   */
  private record Settings(Duration warmUpBound, int sideBySideCalls, int sideBySideWrites, Duration sideBySideBound,
      int loadRequests, Duration loadBound) {}

  /** Abilities the store has not seen yet, for store requests: ids after the preloaded ones. */
  private final AtomicInteger nextNew = new AtomicInteger(PRELOAD);

  @Override
  public String name() {
    return "http";
  }

  @Override
  public void run(BenchProfile profile, BenchReport report) throws Exception {
    Settings settings = profile.full() ? FULL : QUICK;
    HashingEmbedder embedder = new HashingEmbedder(DIMENSION);
    try (PartDatabase database = PartDatabase.create(profile.postgres(), "http");
        AbilityStore store = open(profile.scratch("http"), database.config(), embedder);
        ApiServer server = ApiServer.start(store, ServerConfig.defaults().withPort(0));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build()) {
      preload(store, 0);
      Api api = new Api(server.uri(), new AtomicInteger());
      System.out.printf(Locale.ROOT, "serving %,d abilities at %s; warming up%n", PRELOAD, server.uri());
      for (IntFunction<HttpRequest> operation : List.<IntFunction<HttpRequest>>of(api::search, api::get,
          call -> api.store(storeBody(call)))) {
        LoadGenerator.run(client, WARM_UP_WORKERS, 10_000, settings.warmUpBound(), operation);
      }
      warmUpInProcess(settings.warmUpBound(), call -> store.search(SearchRequest.text(api.nextQueryText()).withK(K)));
      System.out.printf(Locale.ROOT, "%-8s %5s %7s %6s %9s %8s %8s %11s %7s%n", "op", "conc", "reqs", "errors",
          "req/s", "p50 ms", "p99 ms", "in-proc p50", "ratio");
      sideBySide(report, "search", embedder, settings.sideBySideCalls(), settings.sideBySideBound(), client,
          api::search, call -> {
            SearchRequest search = SearchRequest.text(api.nextQueryText()).withK(K);
            return () -> store.search(search);
          });
      sideBySide(report, "get", embedder, settings.sideBySideCalls(), settings.sideBySideBound(), client, api::get,
          call -> {
            String abilityId = preloadedId(call);
            return () -> store.get(abilityId).orElseThrow();
          });
      sideBySide(report, "store", embedder, settings.sideBySideWrites(), settings.sideBySideBound(), client,
          call -> api.store(storeBody(call)), call -> {
            List<Ability> batch = newAbilities();
            return () -> store.store(batch);
          });
      for (String operation : List.of("search", "get", "store", "mixed")) {
        IntFunction<HttpRequest> request = switch (operation) {
          case "search" -> api::search;
          case "get" -> api::get;
          case "store" -> call -> api.store(storeBody(call));
          default -> call -> call % 5 == 4 ? api.store(storeBody(call)) : api.search(call);
        };
        for (int concurrency : CONCURRENCY) {
          LoadGenerator.Run run = LoadGenerator.run(client, concurrency, settings.loadRequests(), settings.loadBound(),
              request);
          Map<String, Object> row = row(operation, embedder, DUAL_STORE, concurrency, run, null);
          if (operation.equals("mixed")) {
            Latencies searches = run.latencies(call -> call % 5 != 4);
            Latencies stores = run.latencies(call -> call % 5 == 4);
            row.putAll(BenchReport.row("search_p50_ms", searches.millis(50), "search_p99_ms", searches.millis(99),
                "store_p50_ms", stores.millis(50), "store_p99_ms", stores.millis(99)));
            System.out.printf(Locale.ROOT, "  of which search p50 %.3f p99 %.3f ms, store p50 %.3f p99 %.3f ms%n",
                searches.millis(50), searches.millis(99), stores.millis(50), stores.millis(99));
          }
          report.add("http", row);
        }
      }
    }
    searchWithLocalModel(profile, settings, report);
  }

  /**
   * Times {@code http} and {@code inProcess} call by call, alternating which goes first, and adds
   * their row; both are prepared (request body, arguments) before the clock starts.
   */
  private static void sideBySide(BenchReport report, String operation, Embedder embedder, int calls, Duration bound,
      HttpClient client, IntFunction<HttpRequest> http, IntFunction<Runnable> inProcess) {
    Latencies viaHttp = new Latencies(calls);
    Latencies viaStore = new Latencies(calls);
    int errors = 0;
    String firstError = null;
    long deadline = System.nanoTime() + bound.toNanos();
    for (int call = 0; call < calls && System.nanoTime() < deadline; call++) {
      HttpRequest request = http.apply(call);
      Runnable direct = inProcess.apply(call);
      for (int turn = 0; turn < 2; turn++) {
        long callStarted = System.nanoTime();
        if ((call + turn) % 2 == 0) {
          String error = LoadGenerator.send(client, request);
          viaHttp.add(System.nanoTime() - callStarted);
          if (error != null) {
            errors++;
            firstError = firstError == null ? error : firstError;
          }
        } else {
          direct.run();
          viaStore.add(System.nanoTime() - callStarted);
        }
      }
    }
    LoadGenerator.Run run = new LoadGenerator.Run(viaHttp.count(), errors, viaHttp.toArray(), viaHttp.seconds(),
        firstError);
    report.add("http", row(operation, embedder, DUAL_STORE, 1, run, viaStore));
  }

  /**
   * Returns the row of {@code run} and prints it; {@code inProcess} is the same operation on the
   * store directly, or null under load. At concurrency 1 the run's time is the time spent in HTTP calls.
   */
  private static Map<String, Object> row(String operation, Embedder embedder, String stores, int concurrency,
      LoadGenerator.Run run, @Nullable Latencies inProcess) {
    double p50 = run.latencies().millis(50);
    double p99 = run.latencies().millis(99);
    Double inProcessP50 = inProcess == null ? null : inProcess.millis(50);
    Double inProcessP99 = inProcess == null ? null : inProcess.millis(99);
    boolean writes = operation.equals("store");
    Map<String, Object> row = BenchReport.row("operation", operation, "concurrency", concurrency,
        "requests", run.requests(), "errors", run.errors(),
        "throughput_per_s", Latencies.rounded(run.throughputPerSecond()), "p50_ms", p50, "p99_ms", p99,
        "seconds", Latencies.rounded(run.seconds()), "batch", writes ? STORE_BATCH : null,
        "abilities_per_s", writes ? Latencies.rounded(run.throughputPerSecond() * STORE_BATCH) : null,
        "inprocess_p50_ms", inProcessP50, "inprocess_p99_ms", inProcessP99,
        "ratio_p50", inProcessP50 == null ? null : Latencies.ratio(p50, inProcessP50),
        "n", PRELOAD, "stores", stores, "embedder", embedder.model(), "first_error", run.firstError());
    System.out.printf(Locale.ROOT, "%-8s %5d %7d %6d %9.0f %8.3f %8.3f %11s %7s%n", operation, concurrency,
        run.requests(), run.errors(), run.throughputPerSecond(), p50, p99,
        inProcessP50 == null ? "" : String.format(Locale.ROOT, "%.3f", inProcessP50),
        inProcessP50 == null ? "" : String.format(Locale.ROOT, "%.2fx", p50 / inProcessP50));
    if (run.firstError() != null) {
      System.out.println("  first error: " + run.firstError());
    }
    return row;
  }

  /**
   * Search with the bundled local model: a Lucene-only store holding the same abilities with
   * seeded dense vectors (the model's vectors would cost minutes to make; ranking quality is not
   * measured here), served the same way; each HTTP search beside the same search in-process and
   * beside the query embedding alone.
   */
  private void searchWithLocalModel(BenchProfile profile, Settings settings, BenchReport report) throws Exception {
    Path directory = profile.scratch("http-local-model");
    try (OnnxEmbedder embedder = new OnnxEmbedder();
        AbilityStore store = AbilityStore.builder()
            .primary(LuceneVectorIndex.open(LuceneConfig.builder(directory.resolve("index"), embedder.dimension())
                .build()))
            .embedder(embedder).dataDirectory(directory).build();
        ApiServer server = ApiServer.start(store, ServerConfig.defaults().withPort(0));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build()) {
      preload(store, embedder.dimension());
      Api api = new Api(server.uri(), new AtomicInteger());
      embedder.embedQuery("load the model");
      LoadGenerator.run(client, WARM_UP_WORKERS, 10_000, settings.warmUpBound(), api::search);
      warmUpInProcess(settings.warmUpBound(), call -> store.search(SearchRequest.text(api.nextQueryText()).withK(K)));
      int calls = settings.sideBySideWrites();
      Latencies viaHttp = new Latencies(calls);
      Latencies viaStore = new Latencies(calls);
      Latencies embedding = new Latencies(calls);
      int errors = 0;
      String firstError = null;
      long deadline = System.nanoTime() + settings.sideBySideBound().toNanos();
      for (int call = 0; call < calls && System.nanoTime() < deadline; call++) {
        HttpRequest request = api.search(call);
        String text = api.nextQueryText();
        SearchRequest search = SearchRequest.text(text).withK(K);
        for (int turn = 0; turn < 3; turn++) {
          long callStarted = System.nanoTime();
          switch ((call + turn) % 3) {
            case 0 -> {
              String error = LoadGenerator.send(client, request);
              viaHttp.add(System.nanoTime() - callStarted);
              if (error != null) {
                errors++;
                firstError = firstError == null ? error : firstError;
              }
            }
            case 1 -> {
              store.search(search);
              viaStore.add(System.nanoTime() - callStarted);
            }
            default -> {
              embedder.embedQuery(text);
              embedding.add(System.nanoTime() - callStarted);
            }
          }
        }
      }
      Map<String, Object> row = row("search", embedder, "lucene", 1,
          new LoadGenerator.Run(viaHttp.count(), errors, viaHttp.toArray(), viaHttp.seconds(), firstError), viaStore);
      row.put("embed_p50_ms", embedding.millis(50));
      row.put("embed_p99_ms", embedding.millis(99));
      System.out.printf(Locale.ROOT, "  of which embedding the query (%s): p50 %.3f ms%n", embedder.model(),
          embedding.millis(50));
      report.add("http", row);
    }
  }

  /** Calls {@code operation} until {@code bound} has passed. */
  private static void warmUpInProcess(Duration bound, IntConsumer operation) {
    long deadline = System.nanoTime() + bound.toNanos();
    for (int call = 0; System.nanoTime() < deadline; call++) {
      operation.accept(call);
    }
  }

  private static AbilityStore open(Path directory, PostgresConfig postgres, HashingEmbedder embedder) {
    LuceneVectorIndex index = LuceneVectorIndex.open(LuceneConfig.builder(directory.resolve("index"), DIMENSION)
        .embedderModel(embedder.model()).build());
    PostgresRecordStore records = null;
    try {
      records = PostgresRecordStore.open(postgres);
      return AbilityStore.builder().primary(index).secondary(records).embedder(embedder).dataDirectory(directory)
          .syncOnStart(false).build();
    } catch (RuntimeException e) {
      index.close();
      if (records != null) {
        records.close();
      }
      throw e;
    }
  }

  /** Stores the catalogue's first abilities in-process: the store embeds them when {@code dimension} is 0. */
  private static void preload(AbilityStore store, int dimension) {
    for (int start = 0; start < PRELOAD; start += PRELOAD_BATCH) {
      List<Ability> batch = new ArrayList<>(PRELOAD_BATCH);
      for (int i = start; i < start + PRELOAD_BATCH; i++) {
        batch.add(SyntheticCatalogue.ability(i, dimension));
      }
      store.store(batch);
    }
  }

  private static String preloadedId(int call) {
    return SyntheticCatalogue.ability(call * 7919 % PRELOAD, 0).abilityId();
  }

  /** Returns {@value #STORE_BATCH} abilities the store has not seen, without embeddings. */
  private List<Ability> newAbilities() {
    int first = nextNew.getAndAdd(STORE_BATCH);
    List<Ability> abilities = new ArrayList<>(STORE_BATCH);
    for (int i = first; i < first + STORE_BATCH; i++) {
      abilities.add(SyntheticCatalogue.ability(i, 0));
    }
    return abilities;
  }

  /** Returns the body of a store request of {@value #STORE_BATCH} new abilities; {@code call} is ignored. */
  private String storeBody(int call) {
    return newAbilities().stream().map(ability -> AbilityJson.toJson(ability, false))
        .collect(Collectors.joining(",", "{\"abilities\":[", "]}"));
  }

  /**
   * The requests of the API at {@code base}. Every search, over HTTP or in-process, asks a text
   * not asked before ({@code queries} counts them), so that no search is answered from the
   * store's cache of query embeddings.
   */
  private record Api(URI base, AtomicInteger queries) {
    String nextQueryText() {
      return SyntheticCatalogue.searchText(queries.getAndIncrement());
    }

    /** Returns a search for a new text; {@code call} is ignored. */
    HttpRequest search(int call) {
      try {
        return post("/v1/search", JSON.writeValueAsString(Map.of("query", nextQueryText(), "k", K)));
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }

    HttpRequest get(int call) {
      return HttpRequest.newBuilder(base.resolve("/v1/abilities/" + preloadedId(call))).timeout(Duration.ofSeconds(30))
          .GET().build();
    }

    HttpRequest store(String body) {
      return post("/v1/abilities", body);
    }

    private HttpRequest post(String path, String body) {
      return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
  }
}
