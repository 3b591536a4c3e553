package dev.abilitystore.port;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.Page;
import dev.abilitystore.ServiceCount;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The record store of a deployment without PostgreSQL: empty, and every write goes nowhere. */
enum DisabledRecordStore implements RecordStore {
  INSTANCE;

  @Override
  public boolean enabled() {
    return false;
  }

  @Override
  public UpsertReport upsert(List<Ability> abilities) {
    return UpsertReport.empty();
  }

  @Override
  public int delete(Collection<String> abilityIds) {
    return 0;
  }

  @Override
  public Optional<Ability> get(String abilityId) {
    return Optional.empty();
  }

  @Override
  public Optional<EmbedderStamp> recordedEmbedder() {
    return Optional.empty();
  }

  @Override
  public void recordEmbedder(EmbedderStamp stamp) {}

  @Override
  public Page<Ability> query(AbilityQuery query) {
    return new Page<>(List.of(), null);
  }

  @Override
  public long count(AbilityFilter filter) {
    return 0;
  }

  @Override
  public List<ServiceCount> serviceCounts() {
    return List.of();
  }

  @Override
  public Page<Ability> scan(@Nullable String afterAbilityId, int limit) {
    return new Page<>(List.of(), null);
  }

  @Override
  public Health health() {
    return Health.disabled("PostgreSQL is not configured: set DATABASE_URL to enable it");
  }

  @Override
  public void close() {}
}
