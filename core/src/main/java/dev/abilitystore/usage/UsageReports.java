package dev.abilitystore.usage;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds a {@link UsageReport} from per-ability counts. */
final class UsageReports {
  static final Comparator<AbilityUsage> MOST_USED = Comparator.comparingLong((AbilityUsage usage) ->
      usage.hits() + usage.fetches()).reversed().thenComparing(AbilityUsage::abilityId);

  private UsageReports() {}

  static UsageReport of(long searches, Collection<AbilityUsage> abilities, int top) {
    List<AbilityUsage> topAbilities = abilities.stream().sorted(MOST_USED).limit(top).toList();
    Map<String, long[]> perService = new TreeMap<>();
    for (AbilityUsage usage : abilities) {
      long[] counts = perService.computeIfAbsent(usage.serviceName(), name -> new long[2]);
      counts[0] += usage.hits();
      counts[1] += usage.fetches();
    }
    List<ServiceUsage> services = perService.entrySet().stream()
        .map(entry -> new ServiceUsage(entry.getKey(), entry.getValue()[0], entry.getValue()[1]))
        .sorted(Comparator.comparingLong((ServiceUsage usage) -> usage.hits() + usage.fetches()).reversed()
            .thenComparing(ServiceUsage::serviceName))
        .toList();
    return new UsageReport(searches, topAbilities, services);
  }
}
