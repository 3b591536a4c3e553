package dev.abilitystore.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import dev.abilitystore.AbilityStoreException;
import dev.abilitystore.Embedding;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Embeddings from Google's Gemini API, {@code models/{model}:batchEmbedContents}: default model
 * {@code gemini-embedding-001}, 3072 dimensions ({@code outputDimensionality} configurable), the
 * original system's model. Abilities are embedded with task type {@code RETRIEVAL_DOCUMENT},
 * queries with {@code RETRIEVAL_QUERY}. The key travels in the {@code x-goog-api-key} header,
 * never in the URL. Batches of at most 100 texts, the API's limit. Thread-safe.
 */
public final class GeminiEmbedder extends RemoteEmbedder {
  public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";
  public static final String DEFAULT_MODEL = "gemini-embedding-001";
  public static final int DEFAULT_DIMENSION = 3072;
  public static final int MAX_BATCH = 100;
  public static final String KEY_VARIABLE = "GOOGLE_GENERATIVE_AI_API_KEY";

  public GeminiEmbedder(EmbedderConfig config) {
    this(config, Thread::sleep);
  }

  GeminiEmbedder(EmbedderConfig config, ProviderHttp.Sleeper sleeper) {
    super(config, "Gemini at " + config.baseUrl(), KEY_VARIABLE, sleeper);
  }

  @Override
  public List<Embedding> embedDocuments(List<String> texts) {
    return inBatches(texts, Math.min(MAX_BATCH, config.batchSize()), batch -> batch(batch, "RETRIEVAL_DOCUMENT"));
  }

  @Override
  public Embedding embedQuery(String text) {
    return batch(List.of(text), "RETRIEVAL_QUERY").get(0);
  }

  private List<Embedding> batch(List<String> texts, String taskType) {
    String model = "models/" + config.model();
    List<Map<String, Object>> requests = new ArrayList<>(texts.size());
    for (String text : texts) {
      Map<String, Object> request = new LinkedHashMap<>();
      request.put("model", model);
      request.put("content", Map.of("parts", List.of(Map.of("text", text))));
      request.put("taskType", taskType);
      request.put("outputDimensionality", config.dimension());
      requests.add(request);
    }
    URI uri = URI.create(config.baseUrl() + "/v1beta/" + URLEncoder.encode(model, StandardCharsets.UTF_8)
        .replace("%2F", "/") + ":batchEmbedContents");
    Map<String, String> headers = config.apiKey() == null ? Map.of() : Map.of("x-goog-api-key", config.apiKey());
    JsonNode answer = http.post(uri, headers, Map.of("requests", requests));
    JsonNode items = answer.path("embeddings");
    if (!items.isArray() || items.size() != texts.size()) {
      throw new AbilityStoreException("[Embeddings] Gemini answered " + items.size() + " embeddings for "
          + texts.size() + " texts");
    }
    List<Embedding> embeddings = new ArrayList<>(texts.size());
    for (JsonNode item : items) {
      embeddings.add(Vectors.read(item.path("values"), config.dimension(), "Gemini"));
    }
    return embeddings;
  }
}
