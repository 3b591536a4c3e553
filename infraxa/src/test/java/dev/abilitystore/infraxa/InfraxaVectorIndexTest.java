package dev.abilitystore.infraxa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.DimensionMismatchException;
import dev.abilitystore.Embedding;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.infraxa.testing.FakeInfraxa;
import dev.abilitystore.port.SearchHit;
import dev.abilitystore.port.SearchMode;
import dev.abilitystore.port.VectorSearch;
import dev.abilitystore.port.WriteOutcome;
import dev.abilitystore.testing.Abilities;
import dev.abilitystore.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InfraxaVectorIndexTest {
  private static final int DIMENSION = 16;
  private static final String TENANT = InfraxaConfig.DEFAULT_TENANT;
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final FakeInfraxa fake = FakeInfraxa.start();
  private final MutableClock clock = new MutableClock(START);
  private final List<InfraxaVectorIndex> opened = new ArrayList<>();

  @AfterEach
  void stop() {
    opened.forEach(InfraxaVectorIndex::close);
    fake.close();
  }

  private InfraxaVectorIndex open(java.util.function.UnaryOperator<InfraxaConfig.Builder> settings) {
    InfraxaConfig config = settings.apply(InfraxaConfig.builder(fake.baseUrl(), DIMENSION)
        .retries(3, Duration.ofMillis(1), Duration.ofMillis(4))).build();
    InfraxaVectorIndex index = InfraxaVectorIndex.open(config, new FakeIdSource(fake, TENANT), clock);
    opened.add(index);
    return index;
  }

  private InfraxaVectorIndex open() {
    return open(builder -> builder);
  }

  /** The original's vector id, computed here independently of the code under test. */
  private static long originalVectorId(String abilityId) throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(abilityId.getBytes(StandardCharsets.UTF_8));
    int signed = java.nio.ByteBuffer.wrap(digest, 0, 4).getInt();
    return Math.abs((long) signed);
  }

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + path))
          .method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  private static String json(Embedding embedding) {
    return dev.abilitystore.json.AbilityJson.embeddingJson(embedding);
  }

  private static List<String> ids(List<SearchHit> hits) {
    return hits.stream().map(hit -> hit.ability().abilityId()).toList();
  }

  private static VectorSearch vectorSearch(Embedding vector, int k, AbilityFilter filter) {
    return new VectorSearch(vector, null, k, SearchMode.VECTOR, filter);
  }

  @Test
  void read_aCollectionWrittenTheWayTheOriginalDid() throws Exception {
    Embedding vector = Abilities.vector("weather", DIMENSION);
    assertThat(call("POST", "/tenants", "{\"tenant_id\":\"reverse_engineer\",\"max_vectors\":1000000}").statusCode())
        .isEqualTo(201);
    assertThat(call("POST", "/tenants/reverse_engineer/blobs",
        "{\"blob_id\":\"abilities_Open_Meteo\",\"blob_type\":\"dense\",\"dimension\":" + DIMENSION + "}").statusCode())
        .isEqualTo(201);
    long vectorId = originalVectorId("open-meteo-forecast");
    String attributes = "{\"ability_id\":\"open-meteo-forecast\",\"ability_name\":\"Forecast\","
        + "\"service_name\":\"Open Meteo\",\"description\":\"Weather forecast\",\"dynamic_header_keys\":[],"
        + "\"dynamic_headers_required\":false,\"metadata\":{\"request_method\":\"GET\",\"dynamic_header_keys\":[]},"
        + "\"created_at\":\"2025-05-01T10:00:00.000Z\",\"updated_at\":\"2025-05-02T10:00:00.000Z\",\"vector_id\":"
        + vectorId + "}";
    assertThat(call("POST", "/tenants/reverse_engineer/blobs/abilities_Open_Meteo/vectors",
        "{\"vectors\":[" + json(vector) + "],\"ids\":[" + vectorId + "],\"attributes\":[" + attributes + "]}")
        .statusCode()).isEqualTo(200);

    InfraxaVectorIndex index = open();
    Ability read = index.get("open-meteo-forecast").orElseThrow();
    assertThat(read.serviceName()).isEqualTo("Open Meteo");
    assertThat(read.metadataText("request_method")).isEqualTo("GET");
    assertThat(read.createdAt()).isEqualTo(Instant.parse("2025-05-01T10:00:00Z"));
    assertThat(read.embedding()).as("the API never returns a vector the original stored").isNull();
    List<SearchHit> hits = index.search(vectorSearch(vector, 1, AbilityFilter.builder().service("Open Meteo").build()));
    assertThat(ids(hits)).containsExactly("open-meteo-forecast");
    assertThat(hits.get(0).score()).isCloseTo(1.0, Offset.offset(1e-6));
    assertThat(index.upsert(List.of(read.withEmbedding(vector).withTimestamps(null, null))).outcomes())
        .as("storing it again adds the embedding and content hash attributes").containsEntry("open-meteo-forecast",
            WriteOutcome.UPDATED);
    Ability rewritten = index.get("open-meteo-forecast").orElseThrow();
    assertThat(rewritten.embedding()).isEqualTo(vector);
    assertThat(rewritten.createdAt()).isEqualTo(Instant.parse("2025-05-01T10:00:00Z"));
    assertThat(index.upsert(List.of(rewritten)).outcomes()).containsEntry("open-meteo-forecast", WriteOutcome.UNCHANGED);
  }

  @Test
  void write_isLaidOutTheWayTheOriginalDid() throws Exception {
    Ability ability = Abilities.full("github-get-user", DIMENSION).toBuilder().service("api.github.com").build();
    open().upsert(List.of(ability));

    assertThat(fake.blobs(TENANT)).containsExactly("abilities_api_github_com");
    JsonNode attributes = fake.attributes(TENANT, "abilities_api_github_com", originalVectorId("github-get-user"));
    assertThat(attributes).isNotNull();
    assertThat(attributes.get("ability_id").asText()).isEqualTo("github-get-user");
    assertThat(attributes.get("ability_name").asText()).isEqualTo("Get github-get-user");
    assertThat(attributes.get("service_name").asText()).isEqualTo("api.github.com");
    assertThat(attributes.get("description").asText()).isEqualTo(ability.description());
    assertThat(attributes.get("dynamic_header_keys").get(0).asText()).isEqualTo("api.github.com::authorization");
    assertThat(attributes.get("dynamic_headers_required").asBoolean()).isTrue();
    assertThat(attributes.get("metadata").get("request_url").asText()).isEqualTo("https://api.github.com/users/{username}");
    assertThat(attributes.get("created_at").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(attributes.get("updated_at").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(attributes.get("vector_id").asLong()).isEqualTo(originalVectorId("github-get-user"));
    assertThat(fake.vector(TENANT, "abilities_api_github_com", originalVectorId("github-get-user")))
        .containsExactly(ability.embedding().toArray());
  }

  @Test
  void upsert_vectorIdHeldByAnotherAbility_isRefusedNamingBoth() throws Exception {
    InfraxaVectorIndex index = open();
    index.upsert(List.of(Abilities.simple("seed", "svc", false, DIMENSION)));
    long vectorId = originalVectorId("victim");
    call("POST", "/tenants/reverse_engineer/blobs/abilities_svc/vectors", "{\"vectors\":["
        + json(Abilities.vector("x", DIMENSION)) + "],\"ids\":[" + vectorId + "],\"attributes\":[{\"ability_id\":"
        + "\"intruder\",\"ability_name\":\"I\",\"service_name\":\"svc\",\"description\":\"d\"}]}");

    assertThatThrownBy(() -> index.upsert(List.of(Abilities.simple("victim", "svc", false, DIMENSION))))
        .isInstanceOf(VectorIdCollisionException.class).hasMessageContaining("'victim'").hasMessageContaining("'intruder'");
    assertThat(fake.attributes(TENANT, "abilities_svc", vectorId).get("ability_id").asText()).isEqualTo("intruder");
  }

  @Test
  void upsert_twoIdsOfOneBatchOnOneVectorId_isRefusedBeforeWriting() {
    Map<Integer, String> seen = new HashMap<>();
    String first = null;
    String second = null;
    for (int i = 0; second == null; i++) {
      String id = "ability-" + i;
      String other = seen.putIfAbsent(dev.abilitystore.identity.VectorIds.of(id), id);
      if (other != null) {
        first = other;
        second = id;
      }
    }
    InfraxaVectorIndex index = open();
    int requestsBefore = fake.requests();
    List<Ability> batch = List.of(Abilities.simple(first, "svc", false, DIMENSION),
        Abilities.simple(second, "svc", false, DIMENSION));
    assertThatThrownBy(() -> index.upsert(batch)).isInstanceOf(VectorIdCollisionException.class)
        .hasMessageContaining("'" + first + "'").hasMessageContaining("'" + second + "'");
    assertThat(fake.requests()).isEqualTo(requestsBefore);
  }

  @Test
  void search_acrossServices_mergesEveryCollectionByDistance() {
    InfraxaVectorIndex index = open(builder -> builder.parallelism(2));
    List<Ability> abilities = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      abilities.add(Abilities.simple("a" + i, "service " + (i % 5), i % 2 == 0, DIMENSION));
    }
    index.upsert(abilities);
    Embedding query = Abilities.vector("query", DIMENSION);
    List<String> expected = abilities.stream()
        .sorted(Comparator.comparingDouble(ability -> -cosine(ability.embedding(), query)))
        .limit(7).map(Ability::abilityId).toList();

    List<SearchHit> hits = index.search(vectorSearch(query, 7, AbilityFilter.ALL));

    assertThat(fake.blobs(TENANT)).hasSize(5);
    assertThat(ids(hits)).containsExactlyElementsOf(expected);
    assertThat(hits.get(0).score()).isCloseTo((1 + cosine(abilities.stream()
        .filter(ability -> ability.abilityId().equals(expected.get(0))).findFirst().orElseThrow().embedding(), query)) / 2,
        Offset.offset(1e-6));
    assertThat(hits).allSatisfy(hit -> assertThat(hit.ability().embedding()).isNull());
  }

  @Test
  void search_authFilter_overFetchesUntilEnoughPass() {
    InfraxaVectorIndex index = open();
    Embedding query = Abilities.vector("query", DIMENSION);
    List<Ability> abilities = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      abilities.add(Abilities.simple("private-" + i, "svc", true, DIMENSION));
    }
    float[] opposite = query.toArray();
    for (int i = 0; i < opposite.length; i++) {
      opposite[i] = -opposite[i];
    }
    abilities.add(Abilities.simple("public-far", "svc", false, DIMENSION).withEmbedding(Embedding.of(opposite)));
    abilities.add(Abilities.simple("public-other", "svc", false, DIMENSION));
    index.upsert(abilities);

    List<SearchHit> hits = index.search(vectorSearch(query, 2, AbilityFilter.builder().publicOnly().build()));

    assertThat(ids(hits)).containsExactlyInAnyOrder("public-far", "public-other");
    assertThat(ids(hits).get(1)).isEqualTo("public-far");
    assertThat(hits.get(1).score()).isCloseTo(0.0, Offset.offset(1e-6));
  }

  @Test
  void search_keywordOrHybrid_isRefused() {
    InfraxaVectorIndex index = open();
    assertThatThrownBy(() -> index.search(new VectorSearch(null, "weather", 3, SearchMode.KEYWORD, AbilityFilter.ALL)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("no text search");
  }

  @Test
  void upsert_existingCollectionOfAnotherDimension_isRefused() throws Exception {
    call("POST", "/tenants", "{\"tenant_id\":\"reverse_engineer\"}");
    call("POST", "/tenants/reverse_engineer/blobs", "{\"blob_id\":\"abilities_svc\",\"dimension\":3072}");
    assertThatThrownBy(() -> open().upsert(List.of(Abilities.simple("a", "svc", false, DIMENSION))))
        .isInstanceOf(DimensionMismatchException.class).hasMessageContaining("3072");
  }

  @Test
  void upsert_largeBatch_isSplitUnderTheBodyLimit() {
    InfraxaVectorIndex index = open(builder -> builder.maxBodyBytes(4096));
    List<Ability> abilities = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      abilities.add(Abilities.simple("a" + i, "svc", false, DIMENSION));
    }
    assertThat(index.upsert(abilities).inserted()).isEqualTo(12);
    assertThat(fake.vectorsApplied()).isEqualTo(12);
    assertThat(index.count()).isEqualTo(12);
  }

  @Test
  void upsert_after503s_isAcknowledgedAndPresent() {
    InfraxaVectorIndex index = open();
    fake.failNext(3);
    index.upsert(List.of(Abilities.simple("a", "svc", false, DIMENSION)));
    assertThat(index.get("a")).isPresent();
    assertThat(index.breakerState()).isEqualTo(BreakerState.CLOSED);
  }

  @Test
  void upsert_droppedConnectionOnInsert_isVerifiedNotReplayed() {
    InfraxaVectorIndex index = open();
    index.upsert(List.of(Abilities.simple("seed", "svc", false, DIMENSION)));
    int appliedBefore = fake.vectorsApplied();
    fake.dropNext(1, "POST .*/vectors");

    assertThat(index.upsert(List.of(Abilities.simple("a", "svc", false, DIMENSION))).outcomes())
        .containsEntry("a", WriteOutcome.INSERTED);

    assertThat(fake.vectorsApplied() - appliedBefore).as("applied once, never replayed").isEqualTo(1);
    assertThat(index.get("a")).isPresent();
  }

  @Test
  void read_slowerThanTheTimeout_failsAsUnavailable() {
    InfraxaVectorIndex index = open(builder -> builder.requestTimeout(Duration.ofMillis(50)).retries(1,
        Duration.ofMillis(1), Duration.ofMillis(1)));
    fake.delayEachCall(Duration.ofMillis(300));
    assertThatThrownBy(() -> index.get("a")).isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void breaker_opensAfterRepeatedFailures_failsFast_thenHalfOpensAndCloses() {
    InfraxaVectorIndex index = open(builder -> builder.retries(0, Duration.ofMillis(1), Duration.ofMillis(1))
        .breaker(2, Duration.ofSeconds(30)));
    fake.failNext(1000);
    assertThat(index.health().isUp()).isFalse();
    assertThat(index.health().isUp()).isFalse();
    assertThat(index.breakerState()).isEqualTo(BreakerState.OPEN);
    assertThat(index.gauges()).containsEntry("circuit_breaker_state", 2.0);
    int requests = fake.requests();
    assertThatThrownBy(() -> index.get("a")).isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("circuit breaker is open");
    assertThat(fake.requests()).as("fails fast").isEqualTo(requests);
    assertThat(index.health().detail()).contains("breaker open");

    clock.advance(Duration.ofSeconds(31));
    assertThat(index.breakerState()).isEqualTo(BreakerState.HALF_OPEN);
    fake.failNext(0);
    assertThat(index.health().isUp()).isTrue();
    assertThat(index.breakerState()).isEqualTo(BreakerState.CLOSED);
    assertThat(index.gauges()).containsEntry("circuit_breaker_state", 0.0);
    assertThat(index.health().detail()).contains("breaker closed");
  }

  @Test
  void delete_byAbilityIdAlone_findsItsCollection() {
    InfraxaVectorIndex index = open();
    index.upsert(List.of(Abilities.simple("a", "one", false, DIMENSION), Abilities.simple("b", "two", false, DIMENSION)));
    index.delete(List.of("b", "missing"));
    assertThat(index.get("b")).isEmpty();
    assertThat(index.get("a")).isPresent();
  }

  @Test
  void withoutAnIdSource_scanAndCountSeeNothing_butGetAndSearchWork() {
    InfraxaVectorIndex index = InfraxaVectorIndex.open(InfraxaConfig.builder(fake.baseUrl(), DIMENSION).build(),
        IdSource.NONE, clock);
    opened.add(index);
    index.upsert(List.of(Abilities.simple("a", "svc", false, DIMENSION)));
    assertThat(index.count()).isZero();
    assertThat(index.scan(null, 10).items()).isEmpty();
    assertThat(index.get("a")).isPresent();
    assertThat(index.search(vectorSearch(Abilities.vector("a", DIMENSION), 1, AbilityFilter.ALL))).hasSize(1);
  }

  private static double cosine(Embedding left, Embedding right) {
    double dot = 0;
    for (int i = 0; i < left.dimension(); i++) {
      dot += (double) left.get(i) * right.get(i);
    }
    return dot / (left.norm() * right.norm());
  }
}
