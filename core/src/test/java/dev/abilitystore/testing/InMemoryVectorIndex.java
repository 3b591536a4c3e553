package dev.abilitystore.testing;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.DimensionMismatchException;
import dev.abilitystore.Page;
import dev.abilitystore.ServiceCount;
import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.port.Health;
import dev.abilitystore.port.SearchHit;
import dev.abilitystore.port.SearchMode;
import dev.abilitystore.port.UpsertReport;
import dev.abilitystore.port.VectorIndex;
import dev.abilitystore.port.VectorSearch;
import dev.abilitystore.search.ExactSearch;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A {@link VectorIndex} in memory with exact vector search, for tests of what sits above the
 * port. Keyword and hybrid modes are refused. {@link #down} makes every call fail, as a broken
 * index would. Thread-safe.
 */
public final class InMemoryVectorIndex implements VectorIndex {
  private final InMemoryRecordStore rows;
  private final int dimension;
  private final AtomicBoolean down = new AtomicBoolean();
  private volatile Runnable afterRead = () -> {};
  private volatile boolean scansWhatItHolds = true;

  public InMemoryVectorIndex(int dimension, InstantSource clock) {
    this.rows = new InMemoryRecordStore(clock);
    this.dimension = dimension;
  }

  /** Makes every call fail until {@code down(false)}. */
  public void down(boolean failing) {
    down.set(failing);
  }

  /** Makes the index say, as Infraxa does, that its scans cannot see everything it holds. */
  public void scansWhatItHolds(boolean scans) {
    this.scansWhatItHolds = scans;
  }

  @Override
  public boolean scansWhatItHolds() {
    return scansWhatItHolds;
  }

  /** Runs {@code pause} in each {@link #get} after the ability was read and before it is returned. */
  public void afterRead(Runnable pause) {
    this.afterRead = pause;
  }

  private void check() {
    if (down.get()) {
      throw new StoreUnavailableException("[VectorDB] the in-memory index is down");
    }
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public UpsertReport upsert(List<Ability> abilities) {
    check();
    for (Ability ability : abilities) {
      if (ability.embedding() != null && ability.embedding().dimension() != dimension) {
        throw new DimensionMismatchException(dimension, ability.embedding().dimension(),
            "ability '" + ability.abilityId() + "' has the wrong dimension");
      }
    }
    return rows.upsert(abilities);
  }

  @Override
  public void delete(Collection<String> abilityIds) {
    check();
    rows.delete(abilityIds);
  }

  @Override
  public Optional<Ability> get(String abilityId) {
    check();
    Runnable pause = afterRead;
    Optional<Ability> found = rows.get(abilityId);
    pause.run();
    return found;
  }

  @Override
  public java.util.Set<SearchMode> searchModes() {
    return java.util.EnumSet.of(SearchMode.VECTOR);
  }

  @Override
  public List<SearchHit> search(VectorSearch search) {
    check();
    if (search.mode() != SearchMode.VECTOR || search.vector() == null) {
      throw new UnsupportedOperationException("the in-memory index searches by vector only");
    }
    ExactSearch exact = new ExactSearch(search.vector(), search.k());
    String after = null;
    while (true) {
      List<Ability> page = rows.scan(after, 1000).items();
      if (page.isEmpty()) {
        return exact.hits();
      }
      for (Ability ability : page) {
        if (search.filter().matches(ability)) {
          exact.offer(ability);
        }
      }
      after = page.get(page.size() - 1).abilityId();
    }
  }

  @Override
  public Page<Ability> query(AbilityQuery query) {
    check();
    return rows.query(query);
  }

  @Override
  public Page<Ability> scan(@Nullable String afterAbilityId, int limit) {
    check();
    return rows.scan(afterAbilityId, limit);
  }

  @Override
  public long count() {
    check();
    return rows.count(AbilityFilter.ALL);
  }

  @Override
  public List<ServiceCount> serviceCounts() {
    check();
    return rows.serviceCounts();
  }

  @Override
  public Health health() {
    return down.get() ? Health.down("the in-memory index is down") : Health.up("in memory");
  }

  @Override
  public void close() {}
}
