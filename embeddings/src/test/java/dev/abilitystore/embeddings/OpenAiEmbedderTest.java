package dev.abilitystore.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.abilitystore.AbilityStoreException;
import dev.abilitystore.Embedding;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiEmbedderTest {
  private static final String KEY = "sk-test-0123456789abcdefghij";
  private static final int DIMENSION = 8;

  private FakeProvider server;
  private final List<Duration> waits = new ArrayList<>();

  /** Answers in reverse index order, as a server may: the client must use "index". */
  private static String answer(JsonNode request) {
    StringBuilder data = new StringBuilder();
    JsonNode input = request.path("input");
    for (int i = input.size() - 1; i >= 0; i--) {
      data.append(data.isEmpty() ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i)
          .append(",\"embedding\":").append(FakeProvider.vector(input.get(i).asText(), DIMENSION)).append('}');
    }
    return "{\"object\":\"list\",\"data\":[" + data + "],\"model\":\"m\",\"usage\":{\"prompt_tokens\":1}}";
  }

  @BeforeEach
  void start() throws Exception {
    server = new FakeProvider(OpenAiEmbedderTest::answer);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private OpenAiEmbedder embedder(int batchSize, boolean dimensionRequested) {
    return new OpenAiEmbedder(new EmbedderConfig(server.baseUrl() + "/", KEY, "text-embedding-3-large", DIMENSION,
        dimensionRequested, batchSize, Duration.ofSeconds(5), 3, Duration.ofMillis(100)), waits::add);
  }

  @Test
  void embed_sendsTheDocumentedRequestAndReadsAnswersByIndex() {
    List<Embedding> embeddings = embedder(100, true).embedDocuments(List.of("alpha", "beta", "gamma"));

    assertThat(server.requests()).singleElement().satisfies(request -> {
      assertThat(request.method()).isEqualTo("POST");
      assertThat(request.path()).isEqualTo("/v1/embeddings");
      assertThat(request.header("Authorization")).isEqualTo("Bearer " + KEY);
      assertThat(request.header("Content-Type")).isEqualTo("application/json");
      assertThat(request.body().path("model").asText()).isEqualTo("text-embedding-3-large");
      assertThat(request.body().path("input")).extracting(JsonNode::asText).containsExactly("alpha", "beta", "gamma");
      assertThat(request.body().path("encoding_format").asText()).isEqualTo("float");
      assertThat(request.body().path("dimensions").asInt()).isEqualTo(DIMENSION);
    });
    assertThat(embeddings.get(1).get(0)).isEqualTo(Float.parseFloat(FakeProvider.vector("beta", DIMENSION)
        .substring(1).split(",")[0]));
  }

  @Test
  void embed_withoutDimensionSetting_leavesTheParameterOut() {
    embedder(100, false).embedDocuments(List.of("alpha"));
    assertThat(server.requests().get(0).body().has("dimensions")).isFalse();
  }

  @Test
  void embed_splitsIntoBatches_andQueriesAreEmbeddedAlike() {
    OpenAiEmbedder embedder = embedder(2, true);
    List<Embedding> embeddings = embedder.embedDocuments(List.of("a", "b", "c", "d", "e"));
    assertThat(embeddings).hasSize(5);
    assertThat(server.requests()).extracting(request -> request.body().path("input").size()).containsExactly(2, 2, 1);
    assertThat(embedder.embedQuery("c")).isEqualTo(embeddings.get(2));
  }

  @Test
  void embed_429WithRetryAfter_waitsAsToldThenSucceeds() {
    server.then(429, Map.of("Retry-After", "2"), "{\"error\":{\"message\":\"Rate limit reached\"}}");
    server.then(503, Map.of(), "");
    assertThat(embedder(100, true).embedDocuments(List.of("x"))).hasSize(1);
    assertThat(server.requests()).hasSize(3);
    assertThat(waits.get(0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(waits.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void embed_5xxEveryTime_givesUpAfterTheAttemptsWithTheLastProblem() {
    for (int i = 0; i < 3; i++) {
      server.then(500, Map.of(), "{\"error\":{\"message\":\"internal\"}}");
    }
    assertThatThrownBy(() -> embedder(100, true).embedDocuments(List.of("x")))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("failed 3 times").hasMessageContaining("HTTP 500: internal");
    assertThat(waits).hasSize(2);
  }

  @Test
  void embed_400_isFinalAndQuotesTheProvider() {
    server.then(400, Map.of(), "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens\"}}");
    assertThatThrownBy(() -> embedder(100, true).embedDocuments(List.of("x")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("rejected the request (HTTP 400: This model's maximum context length");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void embed_401_namesTheVariableButNeverTheKey() {
    server.then(401, Map.of(), "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}");
    assertThatThrownBy(() -> embedder(100, true).embedDocuments(List.of("x")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("refused the API key (HTTP 401): check OPENAI_API_KEY")
        .hasMessageNotContaining(KEY);
  }

  @Test
  void embed_answerOfTheWrongDimension_isAnError() {
    server.then(200, Map.of(), "{\"data\":[{\"index\":0,\"embedding\":[0.1,0.2]}]}");
    assertThatThrownBy(() -> embedder(100, true).embedDocuments(List.of("x")))
        .isInstanceOf(AbilityStoreException.class).hasMessageContaining("vector of 2 dimensions where 8");
  }

  @Test
  void config_toString_hidesTheKey() {
    assertThat(EmbedderConfig.of(server.baseUrl(), KEY, "m", 8, false).toString()).doesNotContain(KEY);
  }
}
