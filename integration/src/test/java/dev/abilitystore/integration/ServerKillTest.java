package dev.abilitystore.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.abilitystore.Ability;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.app.Settings;
import dev.abilitystore.json.AbilityJson;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real server ({@code abilitystore serve} in a child JVM) is killed with {@code kill -9} at a
 * seeded random point while two HTTP clients store batches and delete now and then; it is
 * restarted over the same data directory and database, answers {@code /health} and {@code /ready},
 * and is reconciled with {@code POST /v1/sync}. Then, read from the stores directly: both hold the
 * same abilities with the same content (with Infraxa, whose scans walk PostgreSQL's ids, the fake
 * also holds no id PostgreSQL lacks), every acknowledged write is there in the version sent (or in
 * the later one that was in flight), every acknowledged delete is honoured (unless a later write
 * was in flight), and nothing else is. With either primary; the server reaches the fake Infraxa by
 * URL. The state the stores hold after a trial is where the next one starts.
 *
 * <p>The seed fixes the kill points, batch sizes, ids and deletes; which calls are in flight at
 * the kill also depends on timing. What the stores hold is checked softly, so that every trial
 * runs and the figures (half-present and lost abilities among them) are written before the test
 * fails; every failure names the seed, the primary and the trial. A server that does not restart,
 * or a sync that fails, stops the test at once.
 */
class ServerKillTest extends DualStoreTest {
  private static final long SEED = 20260203L;
  private static final int TRIALS = Reliability.scaled(2, 25);
  private static final int MAX_BATCHES_BEFORE_KILL = 60;
  private static final int MAX_KILL_DELAY_MILLIS = 30;
  private static final int CLIENTS = 2;
  /** Ids per client: each id has one writer, so that its last acknowledged write is well defined. */
  private static final int IDS_PER_CLIENT = 150;
  private static final int MAX_BATCH = 25;
  private static final int DELETE_ONE_IN = 4;
  private static final Duration KILL_POINT_TIMEOUT = Duration.ofSeconds(120);
  private static final String API_KEY = "server-kill-test-key";
  private static final Path LOGS = Path.of("target", "server-kill-test");
  private static final Pattern VERSION = Pattern.compile("version (\\d+) of ");
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest(name = "{0}")
  @EnumSource(Primary.class)
  void killDashNine_duringHttpIngest_restartAndSyncLeaveBothStoresEqualWithEveryAcknowledgedWrite(Primary primary)
      throws Exception {
    long started = System.nanoTime();
    SplittableRandom random = new SplittableRandom(SEED);
    SoftAssertions softly = new SoftAssertions();
    IngestLedger ledger = new IngestLedger();
    AtomicInteger versions = new AtomicInteger();
    Set<String> orphans = Set.of();
    long batches = 0;
    long inFlight = 0;
    long repaired = 0;
    long halfPresent = 0;
    long lost = 0;
    for (int trial = 0; trial < TRIALS; trial++) {
      String context = "seed " + SEED + ", " + primary + ", trial " + trial;
      int killAfterBatches = 1 + random.nextInt(MAX_BATCHES_BEFORE_KILL);
      int killDelayMillis = random.nextInt(MAX_KILL_DELAY_MILLIS);
      try (ServerProcess server = start(primary, trial, "ingest")) {
        Ingest ingest = new Ingest(server, ledger, versions, killAfterBatches);
        ingest.runUntilKilled(random, killDelayMillis);
        softly.assertThat(ingest.failures).as("%s: what went wrong before the kill after %d batches; %s", context,
            killAfterBatches, server.describe()).isEmpty();
        batches += ingest.batches.get();
      }

      try (ServerProcess server = start(primary, trial, "restart")) {
        repaired += reconcile(server, context);
      }

      Verification verification = verify(primary, ledger, orphans, context, softly);
      orphans = verification.orphans();
      halfPresent += verification.halfPresent();
      inFlight += verification.verdict().inFlight();
      lost += verification.verdict().lost();
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("seed", SEED);
    figures.put("trials", TRIALS);
    figures.put("acknowledged_batches", batches);
    figures.put("acknowledged_writes", ledger.acknowledgedWrites());
    figures.put("acknowledged_deletes", ledger.acknowledgedDeletes());
    figures.put("in_flight_at_kills", inFlight);
    figures.put("repaired_by_sync", repaired);
    figures.put("half_present", halfPresent);
    figures.put("lost", lost);
    figures.put("seconds", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    Reliability.report("ServerKillTest-" + primary, figures);
    softly.assertAll();
  }

  private ServerProcess start(Primary primary, int trial, String phase) throws IOException, InterruptedException {
    Map<String, String> environment = new HashMap<>();
    environment.put(Settings.DATABASE_URL, jdbcUrl());
    environment.put(Settings.DATA_DIR, dataDirectory.toString());
    environment.put(Settings.EMBEDDER, "hashing");
    environment.put(Settings.DIMENSION, Integer.toString(DualStore.DIMENSION));
    environment.put(Settings.HOST, "127.0.0.1");
    environment.put(Settings.API_KEYS, API_KEY);
    // the reconcile is POST /v1/sync, whose report says what it repaired
    environment.put(Settings.SYNC_ON_START, "false");
    if (primary == Primary.INFRAXA) {
      environment.put(Settings.VECTOR_DB_API, infraxa.url().toString());
      environment.put(Settings.VECTOR_DB_TENANT, Primary.tenant(dataDirectory));
    }
    return ServerProcess.start(environment, LOGS, primary + "-trial-" + trial + "-" + phase, API_KEY);
  }

  /** Checks that the restarted server is healthy, reconciles it, and returns how many abilities the sync repaired. */
  private static long reconcile(ServerProcess server, String context) throws IOException, InterruptedException {
    HttpResponse<String> health = server.get("/health");
    assertThat(health.statusCode()).as("%s: /health after the restart: %s", context, health.body()).isEqualTo(200);
    HttpResponse<String> sync = server.post("/v1/sync", "{}");
    assertThat(sync.statusCode()).as("%s: POST /v1/sync after the restart: %s; %s", context, sync.body(),
        server.describe()).isEqualTo(200);
    JsonNode report = JSON.readTree(sync.body());
    assertThat(report.get("dry_run").asBoolean()).as("%s: the sync was no dry run", context).isFalse();
    HttpResponse<String> ready = server.get("/ready");
    assertThat(ready.statusCode()).as("%s: /ready after the sync: %s", context, ready.body()).isEqualTo(200);
    return report.get("repaired").asLong();
  }

  /**
   * What one trial's stores held.
   *
   * @param halfPresent how many abilities one store held and the other did not, or held differently
   * @param orphans the ids that Infraxa held and PostgreSQL did not
   */
  private record Verification(IngestLedger.Verdict verdict, int halfPresent, Set<String> orphans) {}

  /**
   * Opens both stores (the server is stopped), checks that they agree and that every ability is
   * exactly a version that was sent, and settles the ledger with the versions they hold.
   * {@code knownOrphans} were reported by an earlier trial already.
   */
  private Verification verify(Primary primary, IngestLedger ledger, Set<String> knownOrphans, String context,
      SoftAssertions softly) {
    try (AbilityStore store = DualStore.open(primary, dataDirectory, database.config(), infraxa.url())) {
      Map<String, String> primaryContent = DualStore.primaryContent(store);
      Map<String, String> secondaryContent = DualStore.secondaryContent(store);
      Set<String> halfPresent = new TreeSet<>(primaryContent.keySet());
      halfPresent.addAll(secondaryContent.keySet());
      halfPresent.removeIf(id -> Objects.equals(primaryContent.get(id), secondaryContent.get(id)));
      Set<String> orphans = new TreeSet<>();
      if (primary == Primary.INFRAXA) {
        orphans.addAll(infraxa.fake().abilityIds(Primary.tenant(dataDirectory)));
        orphans.removeAll(secondaryContent.keySet());
        orphans.stream().filter(id -> !knownOrphans.contains(id)).forEach(halfPresent::add);
      }
      softly.assertThat(halfPresent.stream().map(ledger::describe).toList())
          .as("%s: abilities that one store holds and the other does not, or holds differently, after the restart "
              + "and the sync (Infraxa's scans walk PostgreSQL's ids: no sync sees what only Infraxa holds)", context)
          .isEmpty();

      Map<String, Integer> held = new HashMap<>();
      @Nullable String after = null;
      for (List<Ability> page = store.primary().scan(null, 1000).items(); !page.isEmpty();
          page = store.primary().scan(after, 1000).items()) {
        for (Ability ability : page) {
          int version = versionOf(ability);
          softly.assertThat(ability.withEmbedding(null).withTimestamps(null, null))
              .as("%s: %s holds version %d as it was sent", context, ability.abilityId(), version)
              .isEqualTo(version(ability.abilityId(), version));
          held.put(ability.abilityId(), version);
        }
        after = page.get(page.size() - 1).abilityId();
      }
      IngestLedger.Verdict verdict = ledger.settle(held);
      softly.assertThat(verdict.violations()).as("%s: abilities whose version is neither the last acknowledged one "
          + "nor the one in flight at the kill", context).isEmpty();
      return new Verification(verdict, halfPresent.size(), orphans);
    }
  }

  /**
   * One trial's ingest: {@value #CLIENTS} clients, each storing batches of its own ids and now
   * and then deleting one, until the server is killed after {@code killAfterBatches}
   * acknowledged batches (and a seeded delay, so that the kill lands anywhere in a call).
   */
  private static final class Ingest {
    final AtomicInteger batches = new AtomicInteger();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final ServerProcess server;
    private final IngestLedger ledger;
    private final AtomicInteger versions;
    private final int killAfterBatches;
    private final CompletableFuture<@Nullable Void> killPoint = new CompletableFuture<>();
    private volatile boolean killed;

    Ingest(ServerProcess server, IngestLedger ledger, AtomicInteger versions, int killAfterBatches) {
      this.server = server;
      this.ledger = ledger;
      this.versions = versions;
      this.killAfterBatches = killAfterBatches;
    }

    void runUntilKilled(SplittableRandom random, int killDelayMillis) throws InterruptedException {
      List<Thread> clients = new ArrayList<>();
      for (int client = 0; client < CLIENTS; client++) {
        int number = client;
        SplittableRandom own = random.split();
        clients.add(Thread.ofPlatform().name("server-kill-client-" + client).start(() -> write(number, own)));
      }
      try {
        killPoint.get(KILL_POINT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        Thread.sleep(killDelayMillis);
      } catch (ExecutionException e) {
        // a client failed and said why in failures
      } catch (TimeoutException e) {
        failures.add("only " + batches.get() + " of " + killAfterBatches + " batches acknowledged within "
            + KILL_POINT_TIMEOUT.toSeconds() + " s");
      } finally {
        killed = true;
        server.kill();
      }
      for (Thread client : clients) {
        if (!client.join(KILL_POINT_TIMEOUT)) {
          failures.add(client.getName() + " still waits for an answer from the killed server");
        }
      }
    }

    private void write(int client, SplittableRandom random) {
      try {
        while (!killed) {
          Set<String> ids = new LinkedHashSet<>();
          int size = 1 + random.nextInt(MAX_BATCH);
          while (ids.size() < size) {
            ids.add(id(client, random));
          }
          int version = versions.incrementAndGet();
          ids.forEach(id -> ledger.sending(id, version));
          String body = ids.stream().map(id -> AbilityJson.toJson(version(id, version), false))
              .collect(Collectors.joining(",", "{\"abilities\":[", "]}"));
          if (!succeeded(server.post("/v1/abilities", body), "POST /v1/abilities of " + size)) {
            return;
          }
          ids.forEach(id -> ledger.acknowledged(id, version));
          if (batches.incrementAndGet() == killAfterBatches) {
            killPoint.complete(null);
          }
          if (random.nextInt(DELETE_ONE_IN) == 0) {
            String id = id(client, random);
            ledger.sending(id, IngestLedger.ABSENT);
            if (!succeeded(server.delete("/v1/abilities/" + id), "DELETE /v1/abilities/" + id)) {
              return;
            }
            ledger.acknowledged(id, IngestLedger.ABSENT);
          }
        }
      } catch (IOException e) {
        if (!killed) {
          fail("client " + client + " lost the server before the kill: " + e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("client " + client + " was interrupted");
      } catch (RuntimeException e) {
        fail("client " + client + " failed: " + e);
      }
    }

    private boolean succeeded(HttpResponse<String> answer, String call) {
      if (answer.statusCode() / 100 == 2) {
        return true;
      }
      fail(call + " answered " + answer.statusCode() + ": " + answer.body());
      return false;
    }

    private void fail(String failure) {
      failures.add(failure);
      killPoint.completeExceptionally(new IllegalStateException(failure));
    }
  }

  /** Returns one of {@code client}'s ids, which no other client writes. */
  private static String id(int client, SplittableRandom random) {
    return String.format("ability-%04d", random.nextInt(IDS_PER_CLIENT) * CLIENTS + client);
  }

  /** The content of {@code abilityId} as written with {@code version}, which its description and URL carry. */
  private static Ability version(String abilityId, int version) {
    int number = Integer.parseInt(abilityId.substring("ability-".length()));
    String service = "service-" + number % 5;
    Ability.Builder builder = Ability.builder(abilityId)
        .name("Ability " + number)
        .service(service)
        .description("version " + version + " of " + abilityId)
        .metadata(Map.of("request_method", "GET",
            "request_url", "https://" + service + ".example/" + abilityId + "?version=" + version));
    if (number % 3 == 0) {
      builder.dynamicHeaderKey(service + ".example::authorization");
    }
    return builder.build();
  }

  private static int versionOf(Ability ability) {
    Matcher matcher = VERSION.matcher(ability.description());
    return matcher.lookingAt() ? Integer.parseInt(matcher.group(1)) : -1;
  }

  private static String jdbcUrl() {
    var config = database.config();
    String url = config.jdbcUrl() + "?user=" + URLEncoder.encode(String.valueOf(config.user()), StandardCharsets.UTF_8);
    return config.password() == null ? url
        : url + "&password=" + URLEncoder.encode(config.password(), StandardCharsets.UTF_8);
  }
}
