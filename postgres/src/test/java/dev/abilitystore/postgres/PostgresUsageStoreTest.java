package dev.abilitystore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.postgres.testing.PostgresDatabase;
import dev.abilitystore.usage.AbilityUsage;
import dev.abilitystore.usage.ServiceUsage;
import dev.abilitystore.usage.UsageReport;
import dev.abilitystore.usage.UsageStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresUsageStoreTest {
  @RegisterExtension static final PostgresDatabase database = new PostgresDatabase();

  private static final Instant EARLIER = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant LATER = Instant.parse("2026-01-02T00:00:00Z");

  @Test
  void add_accumulatesAcrossFlushesAndStores() {
    try (PostgresRecordStore records = PostgresRecordStore.open(database.config());
        PostgresRecordStore otherProcess = PostgresRecordStore.open(database.config())) {
      UsageStore usage = records.usageStore();
      usage.add(2, List.of(new AbilityUsage("github-get-user", "github", 2, 0, LATER),
          new AbilityUsage("stripe-list-prices", "stripe", 1, 0, EARLIER)));
      otherProcess.usageStore().add(1, List.of(new AbilityUsage("github-get-user", "github", 0, 3, EARLIER)));

      UsageReport report = usage.report(1);

      assertThat(report.searches()).isEqualTo(3);
      assertThat(report.topAbilities()).containsExactly(new AbilityUsage("github-get-user", "github", 2, 3, LATER));
      assertThat(report.services()).containsExactly(new ServiceUsage("github", 2, 3), new ServiceUsage("stripe", 1, 0));
    }
  }
}
