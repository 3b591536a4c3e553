package dev.abilitystore.testing;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.Page;
import dev.abilitystore.ServiceCount;
import dev.abilitystore.StoreRefusedException;
import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.identity.AbilityIdOrder;
import dev.abilitystore.identity.ContentHash;
import dev.abilitystore.port.EmbedderStamp;
import dev.abilitystore.port.Health;
import dev.abilitystore.port.RecordStore;
import dev.abilitystore.port.UpsertReport;
import dev.abilitystore.port.WriteOutcome;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RecordStore} in memory, for tests of what sits above the port: it passes the same
 * contract as the PostgreSQL store, and can be made unavailable on demand ({@link #down}) to
 * stand for a server that went away. Thread-safe.
 */
public final class InMemoryRecordStore implements RecordStore {
  private final TreeMap<String, Stored> rows = new TreeMap<>(AbilityIdOrder.COMPARATOR);
  private final InstantSource clock;
  private final AtomicBoolean down = new AtomicBoolean();
  private volatile Predicate<String> refused = id -> false;
  private @Nullable EmbedderStamp embedder;

  private record Stored(Ability ability, String hash) {}

  public InMemoryRecordStore(InstantSource clock) {
    this.clock = clock;
  }

  /** Makes every call fail as an unreachable server would, until {@code down(false)}. */
  public void down(boolean unavailable) {
    down.set(unavailable);
  }

  /**
   * Makes every write that touches an ability {@code refused} accepts fail as PostgreSQL's refusal
   * of a bad row or a missing privilege would (for good, writing nothing), until given
   * {@code id -> false}.
   */
  public void refuse(Predicate<String> refused) {
    this.refused = refused;
  }

  private void checkWritable(Collection<String> abilityIds) {
    check();
    for (String abilityId : abilityIds) {
      if (refused.test(abilityId)) {
        throw new StoreRefusedException("[DB] the in-memory record store refuses " + abilityId
            + " (SQLSTATE 23514)", new IllegalStateException("refused on purpose"));
      }
    }
  }

  private void check() {
    if (down.get()) {
      throw new StoreUnavailableException("[DB] the in-memory record store is down");
    }
  }

  @Override
  public synchronized Optional<EmbedderStamp> recordedEmbedder() {
    check();
    return Optional.ofNullable(embedder);
  }

  @Override
  public synchronized void recordEmbedder(EmbedderStamp stamp) {
    check();
    embedder = stamp;
  }

  @Override
  public synchronized UpsertReport upsert(List<Ability> abilities) {
    checkWritable(abilities.stream().map(Ability::abilityId).toList());
    Map<String, Ability> byId = new LinkedHashMap<>();
    for (Ability ability : abilities) {
      if (ability.embedding() == null) {
        throw new InvalidInputException("ability '" + ability.abilityId() + "' has no embedding");
      }
      byId.remove(ability.abilityId());
      byId.put(ability.abilityId(), ability);
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Map<String, WriteOutcome> outcomes = new LinkedHashMap<>();
    for (Ability ability : byId.values()) {
      String hash = ContentHash.of(ability);
      Stored existing = rows.get(ability.abilityId());
      if (existing != null && existing.hash().equals(hash)) {
        outcomes.put(ability.abilityId(), WriteOutcome.UNCHANGED);
        continue;
      }
      Instant created = existing != null && existing.ability().createdAt() != null ? existing.ability().createdAt()
          : ability.createdAt() != null ? ability.createdAt() : now;
      Instant updated = ability.updatedAt() != null ? ability.updatedAt() : now;
      rows.put(ability.abilityId(), new Stored(ability.withTimestamps(created, updated), hash));
      outcomes.put(ability.abilityId(), existing == null ? WriteOutcome.INSERTED : WriteOutcome.UPDATED);
    }
    return new UpsertReport(outcomes);
  }

  @Override
  public synchronized int delete(Collection<String> abilityIds) {
    checkWritable(abilityIds);
    int deleted = 0;
    for (String id : abilityIds) {
      deleted += rows.remove(id) == null ? 0 : 1;
    }
    return deleted;
  }

  @Override
  public synchronized Optional<Ability> get(String abilityId) {
    check();
    Stored stored = rows.get(abilityId);
    return stored == null ? Optional.empty() : Optional.of(stored.ability());
  }

  @Override
  public synchronized Page<Ability> query(AbilityQuery query) {
    check();
    return page(query.filter(), query.afterAbilityId(), query.limit());
  }

  @Override
  public synchronized Page<Ability> scan(@Nullable String afterAbilityId, int limit) {
    check();
    return page(AbilityFilter.ALL, afterAbilityId, limit);
  }

  private Page<Ability> page(AbilityFilter filter, @Nullable String after, int limit) {
    List<Ability> items = new ArrayList<>();
    Map<String, Stored> tail = after == null ? rows : rows.tailMap(after, false);
    for (Stored stored : tail.values()) {
      if (filter.matches(stored.ability())) {
        items.add(stored.ability());
        if (items.size() > limit) {
          break;
        }
      }
    }
    if (items.size() <= limit) {
      return new Page<>(items, null);
    }
    List<Ability> page = items.subList(0, limit);
    return new Page<>(page, AbilityQuery.cursorAfter(page.get(limit - 1).abilityId()));
  }

  @Override
  public synchronized long count(AbilityFilter filter) {
    check();
    return rows.values().stream().filter(stored -> filter.matches(stored.ability())).count();
  }

  @Override
  public synchronized List<ServiceCount> serviceCounts() {
    check();
    Map<String, long[]> counts = new TreeMap<>(AbilityIdOrder.COMPARATOR);
    for (Stored stored : rows.values()) {
      long[] count = counts.computeIfAbsent(stored.ability().serviceName(), name -> new long[2]);
      count[stored.ability().dynamicHeadersRequired() ? 1 : 0]++;
    }
    List<ServiceCount> result = new ArrayList<>();
    counts.forEach((service, count) -> result.add(new ServiceCount(service, count[0] + count[1], count[0], count[1])));
    return result;
  }

  @Override
  public Health health() {
    return down.get() ? Health.down("the in-memory record store is down") : Health.up("in memory");
  }

  @Override
  public void close() {}
}
