package dev.abilitystore.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.Ability;
import dev.abilitystore.port.SearchHit;
import dev.abilitystore.testing.Abilities;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsageRecorderTest {
  @TempDir Path directory;

  private static final Ability GITHUB = Abilities.simple("github-get-user", "github", false, 4);
  private static final Ability STRIPE = Abilities.simple("stripe-list-prices", "stripe", true, 4);

  @Test
  void report_ranksAbilitiesAndServicesByUse() {
    UsageRecorder recorder = new UsageRecorder(FileUsageStore.open(directory), InstantSource.system());
    recorder.searched(List.of(new SearchHit(GITHUB, 0.9), new SearchHit(STRIPE, 0.8)));
    recorder.searched(List.of(new SearchHit(STRIPE, 0.9)));
    recorder.fetched(STRIPE);

    UsageReport report = recorder.report(1);

    assertThat(report.searches()).isEqualTo(2);
    assertThat(report.topAbilities()).extracting(AbilityUsage::abilityId).containsExactly("stripe-list-prices");
    assertThat(report.services()).containsExactly(new ServiceUsage("stripe", 2, 1), new ServiceUsage("github", 1, 0));
  }

  @Test
  void fileStore_keepsCountsAcrossReopening() {
    UsageRecorder recorder = new UsageRecorder(FileUsageStore.open(directory), InstantSource.system());
    recorder.fetched(GITHUB);
    recorder.flush();

    UsageReport reopened = FileUsageStore.open(directory).report(10);

    assertThat(reopened.topAbilities()).singleElement().satisfies(usage -> {
      assertThat(usage.fetches()).isEqualTo(1);
      assertThat(usage.lastUsedAt()).isNotNull();
    });
  }

  @Test
  void flush_storeFailing_keepsTheCountsForTheNextFlush() {
    AtomicBoolean failing = new AtomicBoolean(true);
    UsageStore memory = UsageStore.inMemory();
    UsageStore flaky = new UsageStore() {
      @Override
      public void add(long searches, Collection<AbilityUsage> abilities) {
        if (failing.get()) {
          throw new IllegalStateException("PostgreSQL is down");
        }
        memory.add(searches, abilities);
      }

      @Override
      public UsageReport report(int top) {
        return memory.report(top);
      }
    };
    UsageRecorder recorder = new UsageRecorder(flaky, () -> Instant.parse("2026-01-01T00:00:00Z"));
    recorder.searched(List.of(new SearchHit(GITHUB, 1)));
    recorder.flush();
    recorder.searched(List.of(new SearchHit(GITHUB, 1)));
    failing.set(false);

    UsageReport report = recorder.report(10);

    assertThat(report.searches()).isEqualTo(2);
    assertThat(report.topAbilities().get(0).hits()).isEqualTo(2);
  }
}
