package dev.abilitystore.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import dev.abilitystore.AbilityStoreException;
import dev.abilitystore.Embedding;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Embeddings from any server that speaks OpenAI's {@code POST /v1/embeddings}: OpenAI itself
 * (default model {@code text-embedding-3-large}, 3072 dimensions, shortened with the
 * {@code dimensions} parameter when configured), Azure-style gateways, vLLM, Ollama, LiteLLM.
 * Batches of at most {@link EmbedderConfig#batchSize()} texts; documents and queries are
 * embedded alike, as OpenAI's models expect. Thread-safe.
 */
public final class OpenAiEmbedder extends RemoteEmbedder {
  public static final String DEFAULT_BASE_URL = "https://api.openai.com";
  public static final String DEFAULT_MODEL = "text-embedding-3-large";
  public static final int DEFAULT_DIMENSION = 3072;
  public static final String KEY_VARIABLE = "OPENAI_API_KEY";

  public OpenAiEmbedder(EmbedderConfig config) {
    this(config, Thread::sleep);
  }

  OpenAiEmbedder(EmbedderConfig config, ProviderHttp.Sleeper sleeper) {
    super(config, "OpenAI-compatible server at " + config.baseUrl(), KEY_VARIABLE, sleeper);
  }

  @Override
  public List<Embedding> embedDocuments(List<String> texts) {
    return inBatches(texts, config.batchSize(), this::batch);
  }

  private List<Embedding> batch(List<String> texts) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", config.model());
    body.put("input", texts);
    body.put("encoding_format", "float");
    if (config.dimensionRequested()) {
      body.put("dimensions", config.dimension());
    }
    Map<String, String> headers = config.apiKey() == null ? Map.of()
        : Map.of("Authorization", "Bearer " + config.apiKey());
    JsonNode answer = http.post(URI.create(config.baseUrl() + "/v1/embeddings"), headers, body);
    JsonNode data = answer.path("data");
    if (!data.isArray() || data.size() != texts.size()) {
      throw new AbilityStoreException("[Embeddings] " + config.baseUrl() + " answered " + data.size()
          + " embeddings for " + texts.size() + " texts");
    }
    Embedding[] embeddings = new Embedding[texts.size()];
    for (JsonNode item : data) {
      int index = item.path("index").asInt(-1);
      if (index < 0 || index >= texts.size() || embeddings[index] != null) {
        throw new AbilityStoreException("[Embeddings] " + config.baseUrl() + " answered an embedding with index "
            + index + " for a batch of " + texts.size());
      }
      embeddings[index] = Vectors.read(item.path("embedding"), config.dimension(), config.baseUrl());
    }
    return List.of(embeddings);
  }
}
