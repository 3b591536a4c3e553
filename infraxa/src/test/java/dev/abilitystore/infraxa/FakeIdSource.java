package dev.abilitystore.infraxa;

import dev.abilitystore.identity.AbilityIdOrder;
import dev.abilitystore.infraxa.testing.FakeInfraxa;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Stands in for PostgreSQL's ids: the ability ids the fake holds, looked up behind the API. */
final class FakeIdSource implements IdSource {
  private final FakeInfraxa fake;
  private final String tenant;

  FakeIdSource(FakeInfraxa fake, String tenant) {
    this.fake = fake;
    this.tenant = tenant;
  }

  @Override
  public List<String> idsAfter(@Nullable String afterAbilityId, int limit) {
    return fake.abilityIds(tenant).stream().distinct()
        .filter(id -> afterAbilityId == null || AbilityIdOrder.compare(id, afterAbilityId) > 0)
        .sorted(AbilityIdOrder.COMPARATOR).limit(limit).toList();
  }
}
