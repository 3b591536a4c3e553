package dev.abilitystore.bench;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.Page;
import dev.abilitystore.embed.HashingEmbedder;
import dev.abilitystore.lucene.LuceneConfig;
import dev.abilitystore.lucene.LuceneVectorIndex;
import dev.abilitystore.postgres.PostgresRecordStore;
import dev.abilitystore.postgres.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Structured queries at 100,000 abilities: each kind of query through {@link AbilityStore#query}
 * (answered by PostgreSQL, as it is while PostgreSQL is healthy and caught up), beside the very
 * statement it sends run raw over one plain JDBC connection ({@link RawQuerySql}: prepared once,
 * columns read with the driver's getters, nothing parsed), and, in the full profile, beside the
 * Lucene primary's {@code LuceneVectorIndex.query}, which answers the same queries when
 * PostgreSQL cannot.
 *
 * <p>The kinds, each a page of {@value AbilityQuery#DEFAULT_LIMIT} (the API's default) in id
 * order, their parameters varying from call to call: one service (about 1 % of the rows); public
 * abilities only ({@code dynamic_headers_required = false}, 60 % of the rows); a case-insensitive
 * substring of the name or description (a noun, about 1 %; the trigram indexes serve it); a
 * keyset page 85–95 % into the table (the API pages by cursor, never by offset); and all three
 * filters at once (about 0.06 %). The variants run call by call in rotating order (the primary's
 * on every {@value #LUCENE_EVERY}th call, as it is slow on text) after a warm-up that also checks
 * that they answer the same ids and that the statement PostgreSQL received from the store (read
 * back from {@code pg_stat_activity}) is the raw one; each kind stops at its call count or its
 * time bound.
 *
 * <p>The abilities carry dense 384-dimension vectors, which every row of a page reads, as the
 * store does. They are written by the stores' own batch upserts, two writers at a time, before
 * the {@link AbilityStore} is built over them. The quick profile loads PostgreSQL alone, leaving
 * the primary empty: loading the HNSW graph would cost more than the rest of the part, and
 * {@link AbilityStore#query} does not read the primary while PostgreSQL is healthy. The full
 * profile loads both (the graph with small parameters, since no query here touches it).
 */
final class QueryBenchmark implements BenchPart {
  static final int COUNT = 100_000;
  private static final int DIMENSION = 384;
  private static final int LOAD_BATCH = 1000;
  private static final int LOAD_WRITERS = 2;
  private static final int LUCENE_EVERY = 4;
  private static final int MIN_CALLS = 50;
  private static final Settings QUICK = new Settings(20, 300, Duration.ofSeconds(10), false);
  private static final Settings FULL = new Settings(50, 500, Duration.ofSeconds(60), true);
  private static final String STATEMENT_SEEN = """
      SELECT query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
          AND query LIKE 'SELECT ability_id, ability_name, %' ORDER BY state_change DESC LIMIT 1""";

  /**
   * How long each kind runs.
   *
   * @param warmUpCalls untimed calls first, their answers compared
   * @param calls the most timed calls per variant
   * @param bound the time after which a kind stops once it has {@value #MIN_CALLS} calls
   * @param primary whether the primary is loaded and measured too
   */
  private record Settings(int warmUpCalls, int calls, Duration bound, boolean primary) {}

  @Override
  public String name() {
    return "queries";
  }

  @Override
  public void run(BenchProfile profile, BenchReport report) throws Exception {
    Settings settings = profile.full() ? FULL : QUICK;
    Path directory = profile.scratch("queries");
    HashingEmbedder embedder = new HashingEmbedder(DIMENSION);
    try (PartDatabase database = PartDatabase.create(profile.postgres(), "queries")) {
      LuceneVectorIndex index = LuceneVectorIndex.open(LuceneConfig.builder(directory.resolve("index"), DIMENSION)
          .embedderModel(embedder.model()).hnsw(8, 16).build());
      PostgresRecordStore records;
      try {
        records = PostgresRecordStore.open(database.config());
      } catch (RuntimeException e) {
        index.close();
        throw e;
      }
      double loadSeconds;
      AbilityStore store;
      try {
        loadSeconds = load(records, settings.primary() ? index : null);
        TestPostgres.execute(database.config(), "VACUUM ANALYZE abilities");
        store = AbilityStore.builder().primary(index).secondary(records).embedder(embedder).dataDirectory(directory)
            .syncOnStart(false).build();
      } catch (Exception e) {
        index.close();
        records.close();
        throw e;
      }
      report.put("queries_load", BenchReport.row("n", COUNT, "dim", DIMENSION, "stores",
          settings.primary() ? "lucene+postgres" : "postgres", "writers", LOAD_WRITERS,
          "seconds", Latencies.rounded(loadSeconds), "abilities_per_s", Math.round(COUNT / loadSeconds)));
      try (store; Connection raw = TestPostgres.connect(database.config())) {
        awaitCaughtUp(store);
        List<String> ids = sortedIds();
        System.out.printf(Locale.ROOT, "%-14s %-9s %6s %9s %9s %9s %9s %8s%n", "query", "store", "calls", "p50 ms",
            "p99 ms", "raw p50", "raw p99", "ratio");
        for (QueryKind kind : kinds(ids)) {
          measure(kind, store, raw, settings, report);
        }
      }
    }
  }

  /** A kind of structured query: the query of call {@code i}. */
  private record QueryKind(String name, IntFunction<AbilityQuery> query) {}

  private static List<QueryKind> kinds(List<String> sortedIds) {
    int nouns = SyntheticCatalogue.NOUNS.size();
    return List.of(
        new QueryKind("by_service", call -> firstPage(AbilityFilter.builder()
            .service(SyntheticCatalogue.service(call * 37 % SyntheticCatalogue.SERVICES)))),
        new QueryKind("public_only", call -> firstPage(AbilityFilter.builder().publicOnly())),
        new QueryKind("text_contains", call -> firstPage(AbilityFilter.builder()
            .textContains(SyntheticCatalogue.NOUNS.get(call * 31 % nouns)))),
        new QueryKind("deep_page", call -> new AbilityQuery(AbilityFilter.ALL, AbilityQuery.DEFAULT_LIMIT,
            AbilityQuery.cursorAfter(sortedIds.get(sortedIds.size() * (85 + call % 11) / 100)))),
        new QueryKind("combined", call -> firstPage(AbilityFilter.builder()
            .service(SyntheticCatalogue.service(call * 37 % SyntheticCatalogue.SERVICES)).publicOnly()
            .textContains(SyntheticCatalogue.VERBS.get(call % SyntheticCatalogue.VERBS.size())))));
  }

  private static AbilityQuery firstPage(AbilityFilter.Builder filter) {
    return AbilityQuery.firstPage(filter.build(), AbilityQuery.DEFAULT_LIMIT);
  }

  private static void measure(QueryKind kind, AbilityStore store, Connection raw, Settings settings,
      BenchReport report) throws SQLException {
    RawQuerySql template = RawQuerySql.of(kind.query().apply(0));
    report.add("queries_sql", BenchReport.row("query", kind.name(), "sql", template.sql()));
    Latencies viaStore = new Latencies(settings.calls());
    Latencies viaRaw = new Latencies(settings.calls());
    Latencies viaLucene = new Latencies(settings.calls() / LUCENE_EVERY + 1);
    long rows = 0;
    try (PreparedStatement statement = raw.prepareStatement(template.sql())) {
      checkStatementSeen(kind, store, raw, template);
      for (int call = 0; call < settings.warmUpCalls(); call++) {
        AbilityQuery query = kind.query().apply(call);
        List<String> expected = ids(store.query(query));
        List<String> rawIds = RawQuerySql.of(query).run(raw, statement);
        List<String> luceneIds = settings.primary() ? ids(store.primary().query(query)) : expected;
        if (!expected.equals(rawIds.subList(0, Math.min(rawIds.size(), query.limit()))) || !expected.equals(luceneIds)) {
          throw new IllegalStateException(kind.name() + ": the variants disagree on call " + call + ": store "
              + expected + ", raw " + rawIds + ", lucene " + luceneIds);
        }
      }
      long deadline = System.nanoTime() + settings.bound().toNanos();
      for (int call = 0; call < settings.calls() && (call < MIN_CALLS || System.nanoTime() < deadline); call++) {
        AbilityQuery query = kind.query().apply(settings.warmUpCalls() + call);
        RawQuerySql sql = RawQuerySql.of(query);
        boolean withPrimary = settings.primary() && call % LUCENE_EVERY == 0;
        int variants = withPrimary ? 3 : 2;
        for (int turn = 0; turn < variants; turn++) {
          long started = System.nanoTime();
          switch ((call + turn) % variants) {
            case 0 -> {
              rows += store.query(query).items().size();
              viaStore.add(System.nanoTime() - started);
            }
            case 1 -> {
              sql.run(raw, statement);
              viaRaw.add(System.nanoTime() - started);
            }
            default -> {
              store.primary().query(query);
              viaLucene.add(System.nanoTime() - started);
            }
          }
        }
      }
    }
    double rawP50 = viaRaw.millis(50);
    double rawP99 = viaRaw.millis(99);
    List<Variant> variants = settings.primary()
        ? List.of(new Variant("postgres", viaStore), new Variant("lucene", viaLucene))
        : List.of(new Variant("postgres", viaStore));
    for (Variant variant : variants) {
      double p50 = variant.latencies().millis(50);
      double p99 = variant.latencies().millis(99);
      int calls = variant.latencies().count();
      report.add("queries", BenchReport.row("n", COUNT, "query", kind.name(), "store", variant.store(),
          "limit", AbilityQuery.DEFAULT_LIMIT, "avg_rows", Latencies.rounded((double) rows / viaStore.count()),
          "calls", calls, "p50_ms", p50, "p99_ms", p99, "raw_p50_ms", rawP50,
          "raw_p99_ms", rawP99, "ratio_p50", Latencies.ratio(p50, rawP50), "ratio_p99", Latencies.ratio(p99, rawP99)));
      System.out.printf(Locale.ROOT, "%-14s %-9s %6d %9.3f %9.3f %9.3f %9.3f %7.2fx%n", kind.name(), variant.store(),
          calls, p50, p99, rawP50, rawP99, p50 / rawP50);
    }
  }

  /** {@code postgres}: {@link AbilityStore#query}, answered by PostgreSQL; {@code lucene}: the primary's own query. */
  private record Variant(String store, Latencies latencies) {}

  /** Checks that the statement the store sent PostgreSQL for the query of call 0 is the raw one. */
  private static void checkStatementSeen(QueryKind kind, AbilityStore store, Connection raw, RawQuerySql template)
      throws SQLException {
    store.query(kind.query().apply(0));
    String expected = numberedPlaceholders(template.sql());
    try (PreparedStatement statement = raw.prepareStatement(STATEMENT_SEEN); ResultSet row = statement.executeQuery()) {
      String seen = row.next() ? row.getString(1) : "(none)";
      if (!expected.equals(seen)) {
        throw new IllegalStateException(kind.name() + ": the store sent\n  " + seen + "\nbut the raw baseline runs\n  "
            + expected);
      }
    }
  }

  /** Returns {@code sql} with its {@code ?} placeholders numbered as the driver sends them: {@code $1, $2, ...}. */
  private static String numberedPlaceholders(String sql) {
    StringBuilder numbered = new StringBuilder(sql.length() + 8);
    int number = 0;
    for (char character : sql.toCharArray()) {
      if (character == '?') {
        numbered.append('$').append(++number);
      } else {
        numbered.append(character);
      }
    }
    return numbered.toString();
  }

  private static List<String> ids(Page<Ability> page) {
    return page.items().stream().map(Ability::abilityId).toList();
  }

  /**
   * Writes the catalogue through the stores' own batch upserts, {@value #LOAD_WRITERS} batches at a
   * time: PostgreSQL, and the primary when given; returns the seconds it took.
   */
  private static double load(PostgresRecordStore records, @Nullable LuceneVectorIndex index) throws Exception {
    long started = System.nanoTime();
    AtomicInteger loaded = new AtomicInteger();
    try (ExecutorService writers = Executors.newFixedThreadPool(LOAD_WRITERS)) {
      List<Future<?>> batches = new ArrayList<>();
      for (int start = 0; start < COUNT; start += LOAD_BATCH) {
        int first = start;
        batches.add(writers.submit(() -> {
          List<Ability> batch = new ArrayList<>(LOAD_BATCH);
          for (int i = first; i < Math.min(COUNT, first + LOAD_BATCH); i++) {
            batch.add(SyntheticCatalogue.ability(i, DIMENSION));
          }
          records.upsert(batch);
          if (index != null) {
            index.upsert(batch);
          }
          int done = loaded.addAndGet(batch.size());
          if (done % (COUNT / 5) == 0) {
            System.out.printf(Locale.ROOT, "loaded %,d abilities (%d dimensions) into %s in %.1f s%n", done,
                DIMENSION, index != null ? "Lucene and PostgreSQL" : "PostgreSQL", (System.nanoTime() - started) / 1e9);
          }
        }));
      }
      for (Future<?> batch : batches) {
        batch.get();
      }
    }
    return (System.nanoTime() - started) / 1e9;
  }

  /** Waits until the replication queue is empty, so that {@link AbilityStore#query} reads PostgreSQL. */
  private static void awaitCaughtUp(AbilityStore store) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (store.replication().map(status -> status.depth() > 0).orElse(false)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("PostgreSQL did not catch up with the primary within 60 s");
      }
      Thread.sleep(50);
    }
  }

  /** Returns the ids of the catalogue in code-point order, the order pages follow. */
  private static List<String> sortedIds() {
    List<String> ids = new ArrayList<>(COUNT);
    for (int i = 0; i < COUNT; i++) {
      ids.add(SyntheticCatalogue.ability(i, 0).abilityId());
    }
    ids.sort(null);
    return ids;
  }
}
