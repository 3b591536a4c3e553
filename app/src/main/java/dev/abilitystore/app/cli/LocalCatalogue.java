package dev.abilitystore.app.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.abilitystore.Ability;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.DeleteResult;
import dev.abilitystore.Page;
import dev.abilitystore.SearchRequest;
import dev.abilitystore.SearchResult;
import dev.abilitystore.SecondaryState;
import dev.abilitystore.ServiceCount;
import dev.abilitystore.StoreResult;
import dev.abilitystore.StoreStats;
import dev.abilitystore.server.JsonViews;
import dev.abilitystore.sync.SyncDirection;
import dev.abilitystore.sync.SyncProgress;
import dev.abilitystore.sync.SyncReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The stores of this machine, opened by the command. Thread-safe as {@link AbilityStore} is. */
final class LocalCatalogue implements Catalogue {
  private final AbilityStore store;
  private final String location;

  LocalCatalogue(AbilityStore store, String location) {
    this.store = store;
    this.location = location;
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public int dimension() {
    return store.primary().dimension();
  }

  @Override
  public boolean postgresConfigured() {
    return store.secondary().enabled();
  }

  @Override
  public Optional<Ability> get(String abilityId, boolean includeEmbedding) {
    return store.get(abilityId);
  }

  /**
   * Returns the page {@link AbilityStore#query} answers; the index answers without embeddings, so
   * when they are asked for, those missing are read from the index by id (an ability deleted in
   * between drops out of the page).
   */
  @Override
  public Page<Ability> query(AbilityQuery query, boolean includeEmbedding) {
    Page<Ability> page = store.query(query);
    List<String> missing = includeEmbedding
        ? page.items().stream().filter(ability -> ability.embedding() == null).map(Ability::abilityId).toList()
        : List.of();
    if (missing.isEmpty()) {
      return page;
    }
    Map<String, Ability> embedded = new HashMap<>();
    store.primary().getAll(missing).forEach(ability -> embedded.put(ability.abilityId(), ability));
    List<Ability> items = new ArrayList<>(page.items().size());
    for (Ability ability : page.items()) {
      Ability complete = ability.embedding() != null ? ability : embedded.get(ability.abilityId());
      if (complete != null) {
        items.add(complete);
      }
    }
    return new Page<>(items, page.nextCursor());
  }

  @Override
  public SearchResult search(SearchRequest request) {
    return store.search(request);
  }

  @Override
  public List<ServiceCount> serviceCounts() {
    return store.serviceCounts();
  }

  @Override
  public ObjectNode stats() {
    long started = System.nanoTime();
    StoreStats stats = store.stats();
    return JsonViews.stats(stats, (System.nanoTime() - started) / 1_000_000);
  }

  @Override
  public SyncReport sync(SyncDirection direction, boolean dryRun, SyncProgress progress) {
    return store.sync(direction, dryRun, progress);
  }

  @Override
  public Deletion delete(List<String> abilityIds) {
    Set<String> existing = store.primary().getAll(abilityIds).stream().map(Ability::abilityId)
        .collect(Collectors.toSet());
    List<String> ordered = abilityIds.stream().filter(existing::contains).toList();
    if (ordered.isEmpty()) {
      return new Deletion(List.of(), store.secondary().enabled() ? SecondaryState.STORED : SecondaryState.DISABLED);
    }
    DeleteResult result = store.delete(ordered);
    return new Deletion(ordered, result.secondary());
  }

  @Override
  public StoreResult store(List<Ability> abilities) {
    return store.store(abilities);
  }

  @Override
  public void close() {
    store.close();
  }
}
