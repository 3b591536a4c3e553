package dev.abilitystore.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.sync.SyncReport.Action;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncReportTest {
  @Test
  void actionWireNames_areKebabCase() {
    assertThat(List.of(Action.values())).extracting(Action::wireName).containsExactly("copied-to-secondary",
        "updated-in-secondary", "deleted-from-secondary", "copied-to-primary", "updated-in-primary",
        "deleted-from-primary");
  }

  @Test
  void abilitiesPerSecond_countsEveryDistinctAbilityCompared() {
    SyncReport report = new SyncReport(SyncDirection.BIDIRECTIONAL, false, Instant.EPOCH, 2_000, 900, 950, 100, 50,
        3, 0, 153, List.of(), false);
    assertThat(report.abilitiesPerSecond()).isEqualTo(500.0);
  }

  @Test
  void abilitiesPerSecond_instantSync_doesNotDivideByZero() {
    SyncReport report = new SyncReport(SyncDirection.DEFAULT, true, Instant.EPOCH, 0, 7, 7, 0, 0, 0, 0, 0, List.of(),
        false);
    assertThat(report.abilitiesPerSecond()).isEqualTo(7000.0);
  }
}
