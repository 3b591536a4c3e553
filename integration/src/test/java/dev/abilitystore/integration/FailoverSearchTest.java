package dev.abilitystore.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.SearchRequest;
import dev.abilitystore.SearchResult;
import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.embed.HashingEmbedder;
import dev.abilitystore.port.VectorIndex;
import dev.abilitystore.postgres.PostgresRecordStore;
import dev.abilitystore.testing.Abilities;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** With the primary failing, search is answered from PostgreSQL's embeddings: the same top 10, marked degraded. */
class FailoverSearchTest extends DualStoreTest {
  @ParameterizedTest(name = "{0}")
  @EnumSource(Primary.class)
  void search_primaryFailing_postgresAnswersTheSameTopTen(Primary primary) {
    AtomicBoolean failing = new AtomicBoolean();
    HashingEmbedder embedder = new HashingEmbedder(DualStore.DIMENSION);
    VectorIndex index = primary.open(dataDirectory, embedder.model(), new PostgresIds(database.config()),
        infraxa.url());
    try (AbilityStore store = AbilityStore.builder()
        .primary(failingWhen(index, failing))
        .secondary(PostgresRecordStore.open(database.config()))
        .embedder(embedder)
        .dataDirectory(dataDirectory)
        .syncOnStart(false)
        .build()) {
      List<Ability> abilities = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        abilities.add(Abilities.simple("ability-" + i, "service-" + i % 5, i % 2 == 0, DualStore.DIMENSION));
      }
      store.store(abilities);
      List<SearchRequest> requests = List.of(
          SearchRequest.vector(Abilities.vector("query-1", DualStore.DIMENSION)),
          SearchRequest.vector(Abilities.vector("query-2", DualStore.DIMENSION))
              .withFilter(AbilityFilter.builder().service("service-3").publicOnly().build()));

      List<SearchResult> healthy = requests.stream().map(store::search).toList();
      failing.set(true);
      List<SearchResult> degraded = requests.stream().map(store::search).toList();

      for (int i = 0; i < requests.size(); i++) {
        assertThat(healthy.get(i).degraded()).isFalse();
        assertThat(degraded.get(i).degraded()).isTrue();
        assertThat(ids(degraded.get(i))).hasSize(10).containsExactlyElementsOf(ids(healthy.get(i)));
      }
    }
  }

  private static List<String> ids(SearchResult result) {
    return result.hits().stream().map(hit -> hit.ability().abilityId()).toList();
  }

  private static VectorIndex failingWhen(VectorIndex index, AtomicBoolean failing) {
    return (VectorIndex) Proxy.newProxyInstance(VectorIndex.class.getClassLoader(), new Class<?>[] {VectorIndex.class},
        (proxy, method, arguments) -> {
          if (failing.get() && method.getName().equals("search")) {
            throw new StoreUnavailableException("[VectorDB] the index is failing (test)");
          }
          try {
            return method.invoke(index, arguments);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
