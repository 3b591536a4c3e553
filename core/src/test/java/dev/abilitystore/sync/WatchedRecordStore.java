package dev.abilitystore.sync;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.Page;
import dev.abilitystore.ServiceCount;
import dev.abilitystore.port.EmbedderStamp;
import dev.abilitystore.port.Health;
import dev.abilitystore.port.RecordStore;
import dev.abilitystore.port.UpsertReport;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RecordStore} that forwards to another and watches the reconciler's reads and writes
 * through {@link StoreHooks}.
 */
final class WatchedRecordStore implements RecordStore {
  private final RecordStore delegate;
  final StoreHooks hooks = new StoreHooks();

  WatchedRecordStore(RecordStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public UpsertReport upsert(List<Ability> abilities) {
    hooks.wrote(abilities.size());
    return delegate.upsert(abilities);
  }

  @Override
  public int delete(Collection<String> abilityIds) {
    hooks.wrote(abilityIds.size());
    return delegate.delete(abilityIds);
  }

  @Override
  public Optional<Ability> get(String abilityId) {
    hooks.asked(1);
    return delegate.get(abilityId);
  }

  @Override
  public List<Ability> getAll(Collection<String> abilityIds) {
    hooks.beforeGetAll(abilityIds.size());
    return hooks.returned(delegate.getAll(abilityIds));
  }

  @Override
  public Optional<EmbedderStamp> recordedEmbedder() {
    return delegate.recordedEmbedder();
  }

  @Override
  public void recordEmbedder(EmbedderStamp stamp) {
    delegate.recordEmbedder(stamp);
  }

  @Override
  public Page<Ability> query(AbilityQuery query) {
    return delegate.query(query);
  }

  @Override
  public long count(AbilityFilter filter) {
    return delegate.count(filter);
  }

  @Override
  public List<ServiceCount> serviceCounts() {
    return delegate.serviceCounts();
  }

  @Override
  public Page<Ability> scan(@Nullable String afterAbilityId, int limit) {
    hooks.beforeScan(limit);
    Page<Ability> page = delegate.scan(afterAbilityId, limit);
    hooks.returned(page.items());
    return page;
  }

  @Override
  public Health health() {
    return hooks.health(delegate.health());
  }

  @Override
  public void close() {
    delegate.close();
  }
}
