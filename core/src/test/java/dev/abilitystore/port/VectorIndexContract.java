package dev.abilitystore.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.DimensionMismatchException;
import dev.abilitystore.Embedding;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.Page;
import dev.abilitystore.identity.AbilityIdOrder;
import dev.abilitystore.testing.Abilities;
import dev.abilitystore.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link VectorIndex} must do. An adapter's test extends this class and says how to
 * open an empty index of {@link #DIMENSION} dimensions.
 */
public abstract class VectorIndexContract {
  protected static final int DIMENSION = 32;
  protected static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  protected final MutableClock clock = new MutableClock(START);
  protected VectorIndex index;

  /** Returns an index holding no abilities, whose timestamps come from {@code clock}. */
  protected abstract VectorIndex openEmptyIndex(MutableClock clock, int dimension);

  @BeforeEach
  void openIndex() {
    index = openEmptyIndex(clock, DIMENSION);
  }

  @AfterEach
  void closeIndex() {
    index.close();
  }

  private void storeCatalogue() {
    index.upsert(Abilities.catalogue(DIMENSION));
  }


  private List<String> allIds(AbilityFilter filter, int pageSize) {
    return dev.abilitystore.testing.Pages.allIds(index::query, filter, pageSize);
  }


  private static List<String> ids(List<SearchHit> hits) {
    return hits.stream().map(hit -> hit.ability().abilityId()).toList();
  }

  @Test
  void upsert_thenGet_keepsEveryFieldAndTheExactEmbedding() {
    Ability ability = Abilities.full("github-get-user", DIMENSION);

    UpsertReport report = index.upsert(List.of(ability));

    assertThat(report.outcomes()).containsExactly(Map.entry("github-get-user", WriteOutcome.INSERTED));
    assertThat(index.get("github-get-user")).contains(ability.withTimestamps(START, START));
    assertThat(index.get("missing")).isEmpty();
  }

  @Test
  void getAll_returnsThePresentAbilities_withTheirEmbeddings() {
    storeCatalogue();
    Ability expected = index.get("github-get-user").orElseThrow();

    List<Ability> found = index.getAll(List.of("github-get-user", "missing", "stripe-list-prices", "github-get-user"));

    assertThat(found).extracting(Ability::abilityId)
        .containsExactlyInAnyOrder("github-get-user", "stripe-list-prices");
    assertThat(found).contains(expected);
    assertThat(found).allSatisfy(ability -> assertThat(ability.embedding()).isNotNull());
    assertThat(index.getAll(List.of())).isEmpty();
  }

  @Test
  void upsert_sameContent_isUnchanged_changedContent_keepsCreatedAt() {
    Ability ability = Abilities.full("a", DIMENSION);
    index.upsert(List.of(ability));
    clock.advance(Duration.ofHours(1));

    assertThat(index.upsert(List.of(ability)).outcomes()).containsEntry("a", WriteOutcome.UNCHANGED);
    assertThat(index.upsert(List.of(ability.toBuilder().description("new").build())).outcomes())
        .containsEntry("a", WriteOutcome.UPDATED);
    Ability stored = index.get("a").orElseThrow();
    assertThat(stored.createdAt()).isEqualTo(START);
    assertThat(stored.updatedAt()).isEqualTo(START.plus(Duration.ofHours(1)));
    assertThat(stored.description()).isEqualTo("new");
    assertThat(index.count()).isOne();
  }

  @Test
  void upsert_wrongDimension_isRefusedAndWritesNothing() {
    assertThatThrownBy(() -> index.upsert(List.of(Abilities.simple("a", "s", false, DIMENSION),
        Abilities.simple("b", "s", false, DIMENSION + 1))))
        .isInstanceOf(DimensionMismatchException.class).hasMessageContaining("'b'");
    assertThat(index.count()).isZero();
  }

  @Test
  void upsert_withoutEmbedding_isRefused() {
    assertThatThrownBy(() -> index.upsert(List.of(Abilities.simple("a", "s", false, DIMENSION).withEmbedding(null))))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("no embedding");
  }

  @Test
  void delete_removesFromGetSearchAndCount() {
    storeCatalogue();
    index.delete(List.of("github-get-user", "missing"));
    assertThat(index.get("github-get-user")).isEmpty();
    assertThat(index.count()).isEqualTo(5);
    List<SearchHit> hits = index.search(new VectorSearch(Abilities.vector("github-get-user", DIMENSION), null, 10,
        SearchMode.VECTOR, AbilityFilter.ALL));
    assertThat(ids(hits)).doesNotContain("github-get-user").hasSize(5);
  }

  @Test
  void search_vector_findsTheAbilityOfTheQueryVectorFirst_withScoresInUnitRange() {
    storeCatalogue();
    List<SearchHit> hits = index.search(new VectorSearch(Abilities.vector("stripe-list-prices", DIMENSION), null, 3,
        SearchMode.VECTOR, AbilityFilter.ALL));
    assertThat(hits).hasSize(3);
    assertThat(hits.get(0).ability().abilityId()).isEqualTo("stripe-list-prices");
    assertThat(hits.get(0).score()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(hits).allSatisfy(hit -> assertThat(hit.score()).isBetween(0.0, 1.0));
    assertThat(hits).extracting(SearchHit::score).isSortedAccordingTo((a, b) -> Double.compare(b, a));
  }

  @Test
  void search_filters_neverOutside_neverShort() {
    storeCatalogue();
    Embedding query = Abilities.vector("github-get-user", DIMENSION);
    assertThat(ids(index.search(new VectorSearch(query, null, 10, SearchMode.VECTOR,
        AbilityFilter.builder().service("stripe").build()))))
        .containsExactlyInAnyOrder("stripe-create-customer", "stripe-list-prices");
    assertThat(ids(index.search(new VectorSearch(query, null, 2, SearchMode.VECTOR,
        AbilityFilter.builder().publicOnly().build())))).hasSize(2)
        .isSubsetOf("github-get-user", "pokeapi-get-pokemon", "open-meteo-forecast");
    assertThat(ids(index.search(new VectorSearch(query, null, 10, SearchMode.VECTOR,
        AbilityFilter.builder().service("github").service("stripe").dynamicHeadersRequired(true).build()))))
        .containsExactlyInAnyOrder("github-create-issue", "stripe-create-customer", "stripe-list-prices");
    assertThat(index.search(new VectorSearch(query, null, 10, SearchMode.VECTOR,
        AbilityFilter.builder().service("nobody").build()))).isEmpty();
  }

  @Test
  void search_textContainsFilter_isRefusedNotAppliedAfterRanking() {
    assertThatThrownBy(() -> index.search(new VectorSearch(Abilities.vector("x", DIMENSION), null, 3,
        SearchMode.VECTOR, AbilityFilter.builder().textContains("x").build())))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("text_contains");
  }

  @Test
  void search_queryVectorOfWrongDimension_isRefused() {
    assertThatThrownBy(() -> index.search(new VectorSearch(Abilities.vector("x", DIMENSION - 1), null, 3,
        SearchMode.VECTOR, AbilityFilter.ALL))).isInstanceOf(DimensionMismatchException.class);
  }

  @Test
  void query_filtersAndPagesInCodePointOrder() {
    storeCatalogue();
    assertThat(allIds(AbilityFilter.builder().service("github").build(), 1))
        .containsExactly("github-create-issue", "github-get-user");
    assertThat(allIds(AbilityFilter.builder().publicOnly().build(), 2))
        .containsExactly("github-get-user", "open-meteo-forecast", "pokeapi-get-pokemon");
    assertThat(allIds(AbilityFilter.builder().textContains("ABILITY STRIPE-").build(), 1))
        .containsExactly("stripe-create-customer", "stripe-list-prices");
    List<String> all = allIds(AbilityFilter.ALL, 4);
    assertThat(all).hasSize(6).isSortedAccordingTo(AbilityIdOrder.COMPARATOR);
  }

  @Test
  void query_timeRanges() {
    index.upsert(List.of(Abilities.simple("old", "s", false, DIMENSION)));
    clock.advance(Duration.ofDays(1));
    index.upsert(List.of(Abilities.simple("new", "s", false, DIMENSION)));
    Instant middle = START.plus(Duration.ofHours(12));
    assertThat(allIds(AbilityFilter.builder().createdFrom(middle).build(), 10)).containsExactly("new");
    assertThat(allIds(AbilityFilter.builder().createdBefore(middle).build(), 10)).containsExactly("old");
    assertThat(allIds(AbilityFilter.builder().createdFrom(START).createdBefore(START.plusMillis(1)).build(), 10))
        .containsExactly("old");
  }

  @Test
  void scan_walksEverythingInIdOrderWithEmbeddings() {
    List<Ability> abilities = new ArrayList<>();
    for (String id : List.of("b", "a", "B", "é", "😀", "\uFF21", "a-1", "a_1", "z")) {
      abilities.add(Abilities.simple(id, "s", false, DIMENSION));
    }
    index.upsert(abilities);
    List<String> scanned = new ArrayList<>();
    String after = null;
    while (true) {
      Page<Ability> page = index.scan(after, 2);
      page.items().forEach(ability -> {
        scanned.add(ability.abilityId());
        assertThat(ability.embedding()).isEqualTo(Abilities.vector(ability.abilityId(), DIMENSION));
      });
      if (!page.hasNext()) {
        break;
      }
      after = page.items().get(page.items().size() - 1).abilityId();
    }
    assertThat(scanned).containsExactlyElementsOf(abilities.stream().map(Ability::abilityId)
        .sorted(AbilityIdOrder.COMPARATOR).toList());
  }

  @Test
  void count_andServiceCounts() {
    storeCatalogue();
    assertThat(index.count()).isEqualTo(6);
    assertThat(index.serviceCounts()).containsExactlyElementsOf(Abilities.catalogueServiceCounts());
  }

  @Test
  void health_isUp() {
    assertThat(index.health().isUp()).isTrue();
    assertThat(index.dimension()).isEqualTo(DIMENSION);
  }
}
