package dev.abilitystore.usage;

import java.util.List;

/**
 * Usage since the store began counting.
 *
 * @param searches how many searches were answered
 * @param topAbilities the most used abilities, by hits plus fetches, most used first
 * @param services every service's usage, most used first
 */
public record UsageReport(long searches, List<AbilityUsage> topAbilities, List<ServiceUsage> services) {
  public UsageReport {
    topAbilities = List.copyOf(topAbilities);
    services = List.copyOf(services);
  }
}
