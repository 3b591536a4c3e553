package dev.abilitystore.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.Page;
import dev.abilitystore.identity.AbilityIdOrder;
import dev.abilitystore.testing.Abilities;
import dev.abilitystore.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RecordStore} must do. An adapter's test extends this class and says how to
 * open an empty store.
 */
public abstract class RecordStoreContract {
  protected static final int DIMENSION = 16;
  protected static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  protected final MutableClock clock = new MutableClock(START);
  protected RecordStore store;

  /** Returns a store holding no abilities whose timestamps come from {@code clock}. */
  protected abstract RecordStore openEmptyStore(MutableClock clock);

  @BeforeEach
  void openStore() {
    store = openEmptyStore(clock);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private List<String> ids(Page<Ability> page) {
    return page.items().stream().map(Ability::abilityId).toList();
  }

  private List<String> allIds(AbilityFilter filter, int pageSize) {
    return dev.abilitystore.testing.Pages.allIds(store::query, filter, pageSize);
  }


  private void storeCatalogue() {
    store.upsert(Abilities.catalogue(DIMENSION));
  }


  @Test
  void upsert_thenGet_keepsEveryField() {
    Ability ability = Abilities.full("github-get-user", 3072);

    UpsertReport report = store.upsert(List.of(ability));

    assertThat(report.outcomes()).containsExactly(java.util.Map.entry("github-get-user", WriteOutcome.INSERTED));
    Ability stored = store.get("github-get-user").orElseThrow();
    assertThat(stored).isEqualTo(ability.withTimestamps(START, START));
    assertThat(stored.embedding().toArray()).containsExactly(ability.embedding().toArray());
  }

  @Test
  void get_missing_isEmpty() {
    assertThat(store.get("nope")).isEmpty();
  }

  @Test
  void getAll_returnsThePresentAbilities_withTheirEmbeddings() {
    storeCatalogue();
    Ability expected = store.get("github-get-user").orElseThrow();

    List<Ability> found = store.getAll(List.of("github-get-user", "missing", "stripe-list-prices", "also-missing"));

    assertThat(found).extracting(Ability::abilityId)
        .containsExactlyInAnyOrder("github-get-user", "stripe-list-prices");
    assertThat(found).contains(expected);
    assertThat(found).allSatisfy(ability -> assertThat(ability.embedding()).isNotNull());
  }

  @Test
  void getAll_absentIds_isEmpty() {
    storeCatalogue();
    assertThat(store.getAll(List.of("missing", "also-missing"))).isEmpty();
  }

  @Test
  void getAll_noIds_isEmpty() {
    storeCatalogue();
    assertThat(store.getAll(List.of())).isEmpty();
  }

  @Test
  void recordedEmbedder_beforeAnyRecord_isEmpty() {
    assertThat(store.recordedEmbedder()).isEmpty();
  }

  @Test
  void recordEmbedder_thenRecordedEmbedder_returnsIt() {
    store.recordEmbedder(new EmbedderStamp("bge-small-en-v1.5", 384));
    assertThat(store.recordedEmbedder()).contains(new EmbedderStamp("bge-small-en-v1.5", 384));
  }

  @Test
  void recordEmbedder_again_replacesTheEarlierRecord() {
    store.recordEmbedder(new EmbedderStamp("bge-small-en-v1.5", 384));

    store.recordEmbedder(new EmbedderStamp("text-embedding-3-large", 3072));

    assertThat(store.recordedEmbedder()).contains(new EmbedderStamp("text-embedding-3-large", 3072));
  }

  @Test
  void upsert_sameContentAgain_isUnchangedAndKeepsTimestamps() {
    Ability ability = Abilities.full("a", DIMENSION);
    store.upsert(List.of(ability));
    clock.advance(Duration.ofHours(1));

    UpsertReport again = store.upsert(List.of(ability));

    assertThat(again.outcomes()).containsEntry("a", WriteOutcome.UNCHANGED);
    assertThat(store.get("a").orElseThrow().updatedAt()).isEqualTo(START);
  }

  @Test
  void upsert_changedContent_updatesAndKeepsCreatedAt() {
    store.upsert(List.of(Abilities.full("a", DIMENSION)));
    clock.advance(Duration.ofHours(1));

    UpsertReport report = store.upsert(List.of(Abilities.full("a", DIMENSION).toBuilder().description("new").build()));

    assertThat(report.outcomes()).containsEntry("a", WriteOutcome.UPDATED);
    Ability stored = store.get("a").orElseThrow();
    assertThat(stored.description()).isEqualTo("new");
    assertThat(stored.createdAt()).isEqualTo(START);
    assertThat(stored.updatedAt()).isEqualTo(START.plus(Duration.ofHours(1)));
  }

  @Test
  void upsert_mixedBatch_reportsEachOutcome() {
    store.upsert(List.of(Abilities.simple("a", "s", false, DIMENSION), Abilities.simple("b", "s", false, DIMENSION)));

    UpsertReport report = store.upsert(List.of(Abilities.simple("a", "s", false, DIMENSION),
        Abilities.simple("b", "t", false, DIMENSION), Abilities.simple("c", "s", false, DIMENSION)));

    assertThat(report.outcomes()).containsExactly(java.util.Map.entry("a", WriteOutcome.UNCHANGED),
        java.util.Map.entry("b", WriteOutcome.UPDATED), java.util.Map.entry("c", WriteOutcome.INSERTED));
    assertThat(report.inserted()).isOne();
  }

  @Test
  void upsert_duplicateIdsInOneBatch_lastWins() {
    store.upsert(List.of(Abilities.simple("a", "first", false, DIMENSION),
        Abilities.simple("a", "second", false, DIMENSION)));
    assertThat(store.get("a").orElseThrow().serviceName()).isEqualTo("second");
  }

  @Test
  void upsert_abilityWithoutEmbedding_writesNothingOfTheBatch() {
    assertThatThrownBy(() -> store.upsert(List.of(Abilities.simple("a", "s", false, DIMENSION),
        Abilities.simple("b", "s", false, DIMENSION).withEmbedding(null))))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("'b' has no embedding");
    assertThat(store.count(AbilityFilter.ALL)).isZero();
  }

  @Test
  void delete_removesOnlyTheGivenIds_andCountsThem() {
    storeCatalogue();
    assertThat(store.delete(List.of("github-get-user", "stripe-list-prices", "missing"))).isEqualTo(2);
    assertThat(store.get("github-get-user")).isEmpty();
    assertThat(store.count(AbilityFilter.ALL)).isEqualTo(4);
  }

  @Test
  void query_eachFilterAndCombinations() {
    storeCatalogue();
    assertThat(allIds(AbilityFilter.builder().service("github").build(), 10))
        .containsExactly("github-create-issue", "github-get-user");
    assertThat(allIds(AbilityFilter.builder().service("github").service("pokeapi").build(), 10))
        .containsExactly("github-create-issue", "github-get-user", "pokeapi-get-pokemon");
    assertThat(allIds(AbilityFilter.builder().publicOnly().build(), 10))
        .containsExactly("github-get-user", "open-meteo-forecast", "pokeapi-get-pokemon");
    assertThat(allIds(AbilityFilter.builder().dynamicHeadersRequired(true).service("stripe").build(), 10))
        .containsExactly("stripe-create-customer", "stripe-list-prices");
    assertThat(allIds(AbilityFilter.builder().service("Open Meteo").build(), 10))
        .containsExactly("open-meteo-forecast");
    assertThat(allIds(AbilityFilter.builder().service("stripe").publicOnly().build(), 10)).isEmpty();
  }

  @Test
  void query_textContains_matchesNameOrDescriptionIgnoringCase() {
    storeCatalogue();
    store.upsert(List.of(Abilities.simple("literal", "s", false, DIMENSION).toBuilder()
        .description("100% off_sale \\ back").build()));
    assertThat(allIds(AbilityFilter.builder().textContains("POKEMON").build(), 10))
        .containsExactly("pokeapi-get-pokemon");
    assertThat(allIds(AbilityFilter.builder().textContains("ability stripe-").build(), 10))
        .containsExactly("stripe-create-customer", "stripe-list-prices");
    assertThat(allIds(AbilityFilter.builder().textContains("0% off_").build(), 10)).containsExactly("literal");
    assertThat(allIds(AbilityFilter.builder().textContains("%").build(), 10)).containsExactly("literal");
    assertThat(allIds(AbilityFilter.builder().textContains("_").build(), 10)).containsExactly("literal");
    assertThat(allIds(AbilityFilter.builder().textContains("\\").build(), 10)).containsExactly("literal");
    assertThat(allIds(AbilityFilter.builder().textContains("' OR 1=1 --").build(), 10)).isEmpty();
  }

  @Test
  void query_timeRanges() {
    store.upsert(List.of(Abilities.simple("old", "s", false, DIMENSION)));
    clock.advance(Duration.ofDays(1));
    store.upsert(List.of(Abilities.simple("new", "s", false, DIMENSION)));
    Instant middle = START.plus(Duration.ofHours(12));
    assertThat(allIds(AbilityFilter.builder().createdFrom(middle).build(), 10)).containsExactly("new");
    assertThat(allIds(AbilityFilter.builder().createdBefore(middle).build(), 10)).containsExactly("old");
    assertThat(allIds(AbilityFilter.builder().updatedFrom(START).updatedBefore(middle).build(), 10))
        .containsExactly("old");
    assertThat(allIds(AbilityFilter.builder().createdFrom(START).build(), 10)).containsExactly("new", "old");
  }

  @Test
  void query_pagesInCodePointOrder_withoutGapOrRepeat() {
    List<Ability> abilities = new ArrayList<>();
    for (String id : List.of("b", "a", "B", "é", "😀", "\uFF21", "a-1", "a_1", "a1", "z")) {
      abilities.add(Abilities.simple(id, "s", false, DIMENSION));
    }
    store.upsert(abilities);
    List<String> expected = abilities.stream().map(Ability::abilityId).sorted(AbilityIdOrder.COMPARATOR).toList();
    assertThat(allIds(AbilityFilter.ALL, 3)).containsExactlyElementsOf(expected);
    assertThat(allIds(AbilityFilter.ALL, 1000)).containsExactlyElementsOf(expected);
  }

  @Test
  void query_lastPage_hasNoCursor() {
    storeCatalogue();
    Page<Ability> page = store.query(AbilityQuery.firstPage(AbilityFilter.ALL, 6));
    assertThat(page.items()).hasSize(6);
    assertThat(page.nextCursor()).isNull();
  }

  @Test
  void query_pagination_withRowsInsertedBetweenPages_seesEveryOriginalRowOnce() {
    List<Ability> original = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      original.add(Abilities.simple(String.format("row-%04d", i * 2), "s", false, DIMENSION));
    }
    store.upsert(original);
    List<String> seen = new ArrayList<>();
    AbilityQuery query = AbilityQuery.firstPage(AbilityFilter.ALL, 7);
    for (int page = 0; ; page++) {
      Page<Ability> result = store.query(query);
      result.items().forEach(ability -> seen.add(ability.abilityId()));
      // Between pages, rows appear both behind the cursor and ahead of it.
      store.upsert(List.of(Abilities.simple(String.format("row-%04d", page * 2 + 1), "s", false, DIMENSION),
          Abilities.simple("aaa-" + page, "s", false, DIMENSION)));
      if (!result.hasNext()) {
        break;
      }
      query = query.next(result.nextCursor());
    }
    assertThat(seen).doesNotHaveDuplicates();
    assertThat(seen).containsAll(original.stream().map(Ability::abilityId).toList());
    assertThat(seen).isSortedAccordingTo(AbilityIdOrder.COMPARATOR);
    assertThat(seen).noneMatch(id -> id.startsWith("aaa-"));
  }

  @Test
  void count_andServiceCounts() {
    storeCatalogue();
    assertThat(store.count(AbilityFilter.ALL)).isEqualTo(6);
    assertThat(store.count(AbilityFilter.builder().publicOnly().build())).isEqualTo(3);
    assertThat(store.serviceCounts()).containsExactlyElementsOf(Abilities.catalogueServiceCounts());
  }

  @Test
  void scan_walksEverythingInIdOrder() {
    storeCatalogue();
    List<String> scanned = new ArrayList<>();
    String after = null;
    while (true) {
      Page<Ability> page = store.scan(after, 4);
      scanned.addAll(ids(page));
      page.items().forEach(ability -> assertThat(ability.embedding()).isNotNull());
      if (!page.hasNext()) {
        break;
      }
      after = page.items().get(page.items().size() - 1).abilityId();
    }
    Set<String> unique = new HashSet<>(scanned);
    assertThat(unique).hasSize(6);
    assertThat(scanned).isSortedAccordingTo(AbilityIdOrder.COMPARATOR);
  }

  @Test
  void health_isUp() {
    assertThat(store.health().isUp()).isTrue();
  }
}
