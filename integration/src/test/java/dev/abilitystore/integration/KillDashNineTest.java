package dev.abilitystore.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.sync.SyncReport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A child JVM ingesting through the dual store is killed with {@code kill -9} at a random point;
 * after a restart and a reconcile both stores are equal and hold every acknowledged write in its
 * last acknowledged version (or a later one that was in flight), and no acknowledged delete.
 * With either primary; the child reaches the parent's fake Infraxa by URL.
 */
class KillDashNineTest extends DualStoreTest {
  private static final int TRIALS = Reliability.scaled(3, 20);

  @ParameterizedTest(name = "{0}")
  @EnumSource(Primary.class)
  void killDashNine_duringIngest_restartAndSyncLeaveBothStoresEqualWithEveryAcknowledgedWrite(Primary primary)
      throws Exception {
    SplittableRandom random = new SplittableRandom(20261126);
    Map<String, Acknowledged> acknowledged = new HashMap<>();
    long started = System.nanoTime();
    int acknowledgedWrites = 0;
    int repaired = 0;
    for (int trial = 0; trial < TRIALS; trial++) {
      int killAfter = 100 + random.nextInt(1_500);
      List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
          "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
          "-cp", System.getProperty("java.class.path"), IngestingChild.class.getName(),
          dataDirectory.toString(), jdbcUrl(), Long.toString(trial), Integer.toString(trial * 1_000_000),
          primary.name()));
      if (primary == Primary.INFRAXA) {
        command.add(infraxa.url().toString());
      }
      Process child = new ProcessBuilder(command)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      int acks = 0;
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while (acks < killAfter && (line = lines.readLine()) != null) {
          String[] parts = line.split(" ");
          if (parts[0].equals("ACK")) {
            acknowledged.put(parts[1], new Acknowledged(Integer.parseInt(parts[2]), false));
            acks++;
          } else if (parts[0].equals("DELETED")) {
            acknowledged.put(parts[1], new Acknowledged(Integer.parseInt(parts[2]), true));
          }
        }
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(acks).as("trial %d: acknowledged writes before the kill", trial).isEqualTo(killAfter);
      acknowledgedWrites += acks;

      try (AbilityStore store = DualStore.open(primary, dataDirectory, database.config(), infraxa.url())) {
        SyncReport report = store.sync();
        assertThat(report.dryRun()).isFalse();
        repaired += (int) report.repaired();
        DualStore.assertStoresEqual(store);
        acknowledged.forEach((id, last) -> {
          Ability held = store.primary().get(id).orElse(null);
          if (last.deleted()) {
            if (held != null) {
              assertThat(roundOf(held)).as("%s deleted in round %d may only come back from a later write", id,
                  last.round()).isGreaterThan(last.round());
            }
          } else {
            assertThat(held).as("acknowledged %s (round %d) is present", id, last.round()).isNotNull();
            assertThat(roundOf(held)).as("acknowledged %s holds round %d or a later one", id, last.round())
                .isGreaterThanOrEqualTo(last.round());
          }
        });
      }
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("trials", TRIALS);
    figures.put("acknowledged_writes", acknowledgedWrites);
    figures.put("abilities_checked", acknowledged.size());
    figures.put("repaired_by_sync", repaired);
    figures.put("lost", 0);
    figures.put("seconds", (System.nanoTime() - started) / 1_000_000_000);
    Reliability.report("KillDashNineTest-" + primary, figures);
  }

  /** The last acknowledged write of an id: a store of {@code round}, or a delete after it. */
  private record Acknowledged(int round, boolean deleted) {}

  private static String jdbcUrl() {
    var config = database.config();
    String url = config.jdbcUrl() + "?user=" + java.net.URLEncoder.encode(String.valueOf(config.user()),
        StandardCharsets.UTF_8);
    return config.password() == null ? url
        : url + "&password=" + java.net.URLEncoder.encode(config.password(), StandardCharsets.UTF_8);
  }

  private static int roundOf(Ability ability) {
    String description = ability.description();
    return Integer.parseInt(description.substring("version ".length(), description.indexOf(' ', "version ".length())));
  }
}
