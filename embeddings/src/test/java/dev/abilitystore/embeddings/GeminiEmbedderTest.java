package dev.abilitystore.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.abilitystore.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GeminiEmbedderTest {
  private static final String KEY = "AIzaSyTestKey0123456789";
  private static final int DIMENSION = 6;

  private FakeProvider server;

  private static String answer(JsonNode request) {
    StringBuilder embeddings = new StringBuilder();
    for (JsonNode item : request.path("requests")) {
      String text = item.path("content").path("parts").get(0).path("text").asText();
      embeddings.append(embeddings.isEmpty() ? "" : ",").append("{\"values\":")
          .append(FakeProvider.vector(item.path("taskType").asText() + text, DIMENSION)).append('}');
    }
    return "{\"embeddings\":[" + embeddings + "]}";
  }

  @BeforeEach
  void start() throws Exception {
    server = new FakeProvider(GeminiEmbedderTest::answer);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private GeminiEmbedder embedder() {
    return new GeminiEmbedder(new EmbedderConfig(server.baseUrl(), KEY, "gemini-embedding-001", DIMENSION, true,
        500, Duration.ofSeconds(5), 2, Duration.ofMillis(10)), wait -> { });
  }

  @Test
  void embed_sendsTheDocumentedBatchRequest() {
    embedder().embedDocuments(List.of("alpha", "beta"));
    assertThat(server.requests()).singleElement().satisfies(request -> {
      assertThat(request.path()).isEqualTo("/v1beta/models/gemini-embedding-001:batchEmbedContents");
      assertThat(request.header("x-goog-api-key")).isEqualTo(KEY);
      assertThat(request.path()).doesNotContain(KEY);
      JsonNode first = request.body().path("requests").get(0);
      assertThat(first.path("model").asText()).isEqualTo("models/gemini-embedding-001");
      assertThat(first.path("content").path("parts").get(0).path("text").asText()).isEqualTo("alpha");
      assertThat(first.path("taskType").asText()).isEqualTo("RETRIEVAL_DOCUMENT");
      assertThat(first.path("outputDimensionality").asInt()).isEqualTo(DIMENSION);
    });
  }

  @Test
  void embedQuery_usesTheQueryTaskType() {
    GeminiEmbedder embedder = embedder();
    assertThat(embedder.embedQuery("alpha")).isNotEqualTo(embedder.embedDocuments(List.of("alpha")).get(0));
    assertThat(server.requests().get(0).body().path("requests").get(0).path("taskType").asText())
        .isEqualTo("RETRIEVAL_QUERY");
  }

  @Test
  void embed_batchesAtMost100Texts() {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      texts.add("text " + i);
    }
    assertThat(embedder().embedDocuments(texts)).hasSize(250);
    assertThat(server.requests()).extracting(request -> request.body().path("requests").size())
        .containsExactly(100, 100, 50);
  }

  @Test
  void embed_403_namesTheOriginalSystemsVariable() {
    server.then(403, Map.of(), "{\"error\":{\"code\":403,\"message\":\"API key not valid\"}}");
    assertThatThrownBy(() -> embedder().embedDocuments(List.of("x")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("check GOOGLE_GENERATIVE_AI_API_KEY").hasMessageNotContaining(KEY);
  }
}
