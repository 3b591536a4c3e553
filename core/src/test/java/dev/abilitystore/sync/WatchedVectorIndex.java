package dev.abilitystore.sync;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.Page;
import dev.abilitystore.ServiceCount;
import dev.abilitystore.port.Health;
import dev.abilitystore.port.SearchHit;
import dev.abilitystore.port.UpsertReport;
import dev.abilitystore.port.VectorIndex;
import dev.abilitystore.port.VectorSearch;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@link VectorIndex} that forwards to another and watches the reconciler's reads: the most
 * it asked for at once, and a {@link StoreHooks} action to run before a read.
 */
final class WatchedVectorIndex implements VectorIndex {
  private final VectorIndex delegate;
  final StoreHooks hooks = new StoreHooks();

  WatchedVectorIndex(VectorIndex delegate) {
    this.delegate = delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public int dimension() {
    return delegate.dimension();
  }

  @Override
  public UpsertReport upsert(List<Ability> abilities) {
    hooks.wrote(abilities.size());
    return delegate.upsert(abilities);
  }

  @Override
  public void delete(Collection<String> abilityIds) {
    hooks.wrote(abilityIds.size());
    delegate.delete(abilityIds);
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
  public List<SearchHit> search(VectorSearch search) {
    return delegate.search(search);
  }

  @Override
  public Page<Ability> query(AbilityQuery query) {
    return delegate.query(query);
  }

  @Override
  public Page<Ability> scan(@Nullable String afterAbilityId, int limit) {
    hooks.beforeScan(limit);
    Page<Ability> page = delegate.scan(afterAbilityId, limit);
    hooks.returned(page.items());
    return page;
  }

  @Override
  public long count() {
    return delegate.count();
  }

  @Override
  public List<ServiceCount> serviceCounts() {
    return delegate.serviceCounts();
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
