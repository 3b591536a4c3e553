package dev.abilitystore.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.DimensionMismatchException;
import dev.abilitystore.Embedding;
import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.port.SearchHit;
import dev.abilitystore.port.SearchMode;
import dev.abilitystore.port.VectorIndex;
import dev.abilitystore.port.VectorIndexContract;
import dev.abilitystore.port.VectorSearch;
import dev.abilitystore.testing.Abilities;
import dev.abilitystore.testing.MutableClock;
import dev.abilitystore.testing.Vectors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class LuceneVectorIndexTest extends VectorIndexContract {
  @TempDir
  Path directory;

  @Override
  protected VectorIndex openEmptyIndex(MutableClock clock, int dimension) {
    return LuceneVectorIndex.open(LuceneConfig.builder(directory.resolve("index"), dimension).build(), clock);
  }

  private static Ability ability(String id, String service, boolean auth, float[] vector) {
    return Abilities.simple(id, service, auth, vector.length).withEmbedding(Embedding.of(vector));
  }

  private static List<String> ids(List<SearchHit> hits) {
    return hits.stream().map(hit -> hit.ability().abilityId()).toList();
  }

  /** The ids of the {@code k} abilities most similar to {@code query}, by exhaustive comparison. */
  private static List<String> bruteForce(List<float[]> vectors, float[] query, int k, java.util.function.IntPredicate keep) {
    return IntStream.range(0, vectors.size()).filter(keep).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> -Vectors.cosine(vectors.get(i), query)).thenComparing(i -> i))
        .limit(k).map(i -> "a" + i).toList();
  }

  @ParameterizedTest
  @EnumSource(Quantization.class)
  void search_smallSet_isExactlyTheBruteForceAnswer_withAndWithoutFilter(Quantization quantization) {
    index.close();
    List<float[]> vectors = Vectors.clustered(90, 64, 4, 7);
    try (LuceneVectorIndex small = LuceneVectorIndex.open(LuceneConfig.builder(directory.resolve("small-" + quantization), 64)
        .quantization(quantization).build())) {
      List<Ability> abilities = new ArrayList<>();
      for (int i = 0; i < vectors.size(); i++) {
        abilities.add(ability("a" + i, i % 3 == 0 ? "three" : "other", i % 2 == 0, vectors.get(i)));
      }
      small.upsert(abilities);
      for (int q = 0; q < 10; q++) {
        float[] query = Vectors.clustered(1, 64, 1, 100 + q).get(0);
        assertThat(ids(small.search(new VectorSearch(Embedding.of(query), null, 10, SearchMode.VECTOR,
            AbilityFilter.ALL)))).containsExactlyElementsOf(bruteForce(vectors, query, 10, i -> true));
        assertThat(ids(small.search(new VectorSearch(Embedding.of(query), null, 10, SearchMode.VECTOR,
            AbilityFilter.builder().service("three").dynamicHeadersRequired(true).build()))))
            .containsExactlyElementsOf(bruteForce(vectors, query, 10, i -> i % 3 == 0 && i % 2 == 0));
      }
    }
  }

  @Test
  void search_scores_areHalfOfOnePlusCosine() {
    float[] stored = Vectors.normalize(new float[] {1, 0, 0, 0});
    float[] query = Vectors.normalize(new float[] {1, 1, 0, 0});
    index.close();
    try (LuceneVectorIndex tiny = LuceneVectorIndex.open(LuceneConfig.builder(directory.resolve("tiny"), 4).build())) {
      tiny.upsert(List.of(ability("x", "s", false, stored)));
      double score = tiny.search(new VectorSearch(Embedding.of(query), null, 1, SearchMode.VECTOR, AbilityFilter.ALL))
          .get(0).score();
      assertThat(score).isCloseTo((1 + Math.sqrt(0.5)) / 2, org.assertj.core.data.Offset.offset(1e-5));
    }
  }

  @Test
  void keywordAndHybrid_nameMatchBeatsASemanticallyCloserUnrelatedAbility() {
    Embedding query = Abilities.vector("query", DIMENSION);
    Ability payment = Abilities.simple("stripe-create-payment-intent", "stripe", true, DIMENSION).toBuilder()
        .name("Create Stripe Payment Intent").description("Creates a PaymentIntent to collect a card payment.")
        .embedding(Abilities.vector("far away", DIMENSION)).build();
    Ability closer = Abilities.simple("weather-forecast", "open-meteo", false, DIMENSION).toBuilder()
        .name("Get Weather Forecast").description("Hourly temperature and rain for a place.")
        .embedding(query).build();
    index.upsert(List.of(payment, closer));

    List<SearchHit> keyword = index.search(new VectorSearch(null, "stripe payment", 2, SearchMode.KEYWORD,
        AbilityFilter.ALL));
    List<SearchHit> hybrid = index.search(new VectorSearch(query, "stripe payment", 2, SearchMode.HYBRID,
        AbilityFilter.ALL));
    List<SearchHit> vector = index.search(new VectorSearch(query, null, 2, SearchMode.VECTOR, AbilityFilter.ALL));

    assertThat(ids(vector).get(0)).isEqualTo("weather-forecast");
    assertThat(ids(keyword)).containsExactly("stripe-create-payment-intent");
    assertThat(keyword.get(0).score()).isEqualTo(1.0);
    assertThat(ids(hybrid).get(0)).isEqualTo("stripe-create-payment-intent");
    assertThat(hybrid).allSatisfy(hit -> assertThat(hit.score()).isBetween(0.0, 1.0));
  }

  @Test
  void keyword_splitsIdentifiersAndHostNames() {
    index.upsert(List.of(
        Abilities.simple("a", "api.spotify.com", false, DIMENSION).toBuilder().name("getUserPlaylists")
            .description("Lists playlists.").build(),
        Abilities.simple("b", "api.github.com", false, DIMENSION).toBuilder().name("list_repositories")
            .description("Lists repositories.").build()));
    assertThat(ids(index.search(new VectorSearch(null, "spotify", 5, SearchMode.KEYWORD, AbilityFilter.ALL))))
        .containsExactly("a");
    assertThat(ids(index.search(new VectorSearch(null, "user playlist", 5, SearchMode.KEYWORD, AbilityFilter.ALL))))
        .containsExactly("a");
    assertThat(ids(index.search(new VectorSearch(null, "repository", 5, SearchMode.KEYWORD, AbilityFilter.ALL))))
        .containsExactly("b");
  }

  @Test
  void keyword_findsTagsDisplayNamePathAndParameterNames() {
    index.upsert(List.of(
        Abilities.simple("forecast", "airqualityforecast", false, DIMENSION).toBuilder().name("airqualityforecast")
            .description("Two days ahead.").metadata(java.util.Map.of("display_name", "Gimmee Air Quality",
                "tags", List.of("Weather"), "request_method", "GET",
                "request_url", "https://api.example.com/v1/zipCodes/{zip}/pollen",
                "input_schema", java.util.Map.of("type", "object", "properties",
                    java.util.Map.of("postal_code", java.util.Map.of("type", "string"))))).build(),
        Abilities.simple("other", "s", false, DIMENSION).toBuilder().name("Other").description("Nothing alike.")
            .build()));
    for (String text : List.of("air quality", "weather", "pollen", "zip code", "postal")) {
      assertThat(ids(index.search(new VectorSearch(null, text, 5, SearchMode.KEYWORD, AbilityFilter.ALL))))
          .as(text).containsExactly("forecast");
    }
  }

  @Test
  void keyword_apostrophesStayInsideWords() {
    index.upsert(List.of(Abilities.simple("m", "s", false, DIMENSION).toBuilder().name("M").description("m t").build()));
    assertThat(index.search(new VectorSearch(null, "I'm sure you don't", 5, SearchMode.KEYWORD, AbilityFilter.ALL)))
        .isEmpty();
  }

  @Test
  void keyword_scoresFieldsAsOneDocument_soAWordRepeatedAcrossFieldsDoesNotCountPerField() {
    // BM25F: "github" in name, service and description saturates like one term frequency of 3,
    // so the ability that also matches the query's second word ranks first.
    index.upsert(List.of(
        Abilities.simple("everywhere", "github", false, DIMENSION).toBuilder().name("github")
            .description("github github github").build(),
        Abilities.simple("both-words", "github", false, DIMENSION).toBuilder().name("Get a user")
            .description("Fetches a user profile.").build()));
    assertThat(ids(index.search(new VectorSearch(null, "github user", 2, SearchMode.KEYWORD, AbilityFilter.ALL))))
        .containsExactly("both-words", "everywhere");
  }

  @ParameterizedTest
  @EnumSource(Fusion.class)
  void hybrid_anAbilityFirstInBothListsScoresOne_andScoresStayInRange(Fusion fusion) {
    index.close();
    try (LuceneVectorIndex fused = LuceneVectorIndex.open(LuceneConfig.builder(directory.resolve("f-" + fusion),
        DIMENSION).fusion(fusion).build())) {
      Embedding query = Abilities.vector("query", DIMENSION);
      fused.upsert(List.of(
          Abilities.simple("best", "s", false, DIMENSION).toBuilder().name("stripe payment").embedding(query).build(),
          Abilities.simple("second", "s", false, DIMENSION).toBuilder().name("payment")
              .embedding(Abilities.vector("elsewhere", DIMENSION)).build(),
          Abilities.simple("third", "s", false, DIMENSION).toBuilder().name("unrelated")
              .embedding(Abilities.vector("far", DIMENSION)).build()));
      List<SearchHit> hits = fused.search(new VectorSearch(query, "stripe payment", 3, SearchMode.HYBRID,
          AbilityFilter.ALL));
      assertThat(ids(hits).get(0)).isEqualTo("best");
      assertThat(hits.get(0).score()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
      assertThat(hits).allSatisfy(hit -> assertThat(hit.score()).isBetween(0.0, 1.0));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"title:x AND (y", "\"unbalanced", "*wild?", "a~2 b^3 [c TO d]", "\\", "!!!", "NOT",
      "ability_id:* OR 1=1", "'; DROP TABLE abilities; --"})
  void keyword_queryTextIsNeverLuceneSyntax(String text) {
    index.upsert(List.of(Abilities.simple("title-x", "s", false, DIMENSION)));
    List<SearchHit> hits = index.search(new VectorSearch(Abilities.vector("q", DIMENSION), text, 5, SearchMode.HYBRID,
        AbilityFilter.ALL));
    assertThat(hits).allSatisfy(hit -> assertThat(hit.score()).isBetween(0.0, 1.0));
  }

  @Test
  void keyword_respectsTheFilter() {
    index.upsert(List.of(
        Abilities.simple("stripe-pay", "stripe", true, DIMENSION).toBuilder().name("Pay").build(),
        Abilities.simple("paypal-pay", "paypal", false, DIMENSION).toBuilder().name("Pay").build()));
    assertThat(ids(index.search(new VectorSearch(null, "pay", 5, SearchMode.KEYWORD,
        AbilityFilter.builder().publicOnly().build())))).containsExactly("paypal-pay");
  }

  @Test
  void reopen_withAnotherDimension_saysHowToFixIt() {
    index.upsert(List.of(Abilities.simple("a", "s", false, DIMENSION)));
    index.close();
    assertThatThrownBy(() -> LuceneVectorIndex.open(LuceneConfig.builder(directory.resolve("index"), 3072).build()))
        .isInstanceOf(DimensionMismatchException.class)
        .hasMessageContaining("holds " + DIMENSION + "-dimension vectors, but the store is configured for 3072")
        .hasMessageContaining("ABILITYSTORE_DIMENSION=" + DIMENSION)
        .hasMessageContaining("abilitystore reembed");
    index = LuceneVectorIndex.open(LuceneConfig.builder(directory.resolve("index"), DIMENSION).build());
    assertThat(index.get("a")).isPresent();
  }

  @Test
  void reopen_withAnotherEmbedderModel_isRefusedAndNamesReembed() {
    index.close();
    Path path = directory.resolve("models");
    try (LuceneVectorIndex first = LuceneVectorIndex.open(LuceneConfig.builder(path, DIMENSION)
        .embedderModel("bge-small-en-v1.5-q").build())) {
      first.upsert(List.of(Abilities.simple("a", "s", false, DIMENSION)));
    }
    assertThatThrownBy(() -> LuceneVectorIndex.open(LuceneConfig.builder(path, DIMENSION)
        .embedderModel("text-embedding-3-large").build()))
        .isInstanceOf(dev.abilitystore.EmbedderMismatchException.class)
        .hasMessageContaining("made by the embedding model bge-small-en-v1.5-q")
        .hasMessageContaining("configured for text-embedding-3-large")
        .hasMessageContaining("abilitystore reembed");
    try (LuceneVectorIndex unchecked = LuceneVectorIndex.open(LuceneConfig.builder(path, DIMENSION).build())) {
      unchecked.upsert(List.of(Abilities.simple("b", "s", false, DIMENSION)));
      assertThat(unchecked.recordedEmbedderModel()).contains("bge-small-en-v1.5-q");
    }
    index = LuceneVectorIndex.open(LuceneConfig.builder(path, DIMENSION).embedderModel("bge-small-en-v1.5-q").build());
    assertThat(index.count()).isEqualTo(2);
  }

  @Test
  void open_twice_saysTheIndexIsInUse() {
    assertThatThrownBy(() -> LuceneVectorIndex.open(LuceneConfig.builder(directory.resolve("index"), DIMENSION).build()))
        .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("in use by another process");
  }

  @Test
  void dimensionsAbove1024_areIndexedAndSearched() {
    index.close();
    try (LuceneVectorIndex wide = LuceneVectorIndex.open(LuceneConfig.builder(directory.resolve("wide"), 4096).build())) {
      wide.upsert(List.of(Abilities.full("a", 4096), Abilities.full("b", 4096)));
      assertThat(wide.get("a").orElseThrow().embedding().dimension()).isEqualTo(4096);
      assertThat(ids(wide.search(new VectorSearch(Abilities.vector("b", 4096), null, 1, SearchMode.VECTOR,
          AbilityFilter.ALL)))).containsExactly("b");
    }
  }

  @Test
  void quantization_canBeSwitchedOnAnExistingIndex() {
    index.upsert(List.of(Abilities.simple("before", "s", false, DIMENSION)));
    index.close();
    index = LuceneVectorIndex.open(LuceneConfig.builder(directory.resolve("index"), DIMENSION)
        .quantization(Quantization.INT8).build());
    index.upsert(List.of(Abilities.simple("after", "s", false, DIMENSION)));
    assertThat(ids(index.search(new VectorSearch(Abilities.vector("before", DIMENSION), null, 2, SearchMode.VECTOR,
        AbilityFilter.ALL)))).containsExactly("before", "after");
  }
}
