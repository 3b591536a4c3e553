package dev.abilitystore.embeddings;

import dev.abilitystore.Embedding;
import dev.abilitystore.port.Embedder;
import java.util.ArrayList;
import java.util.List;

/** What the remote providers share: their configuration, one resilient HTTP client, batching. */
abstract class RemoteEmbedder implements Embedder {
  final EmbedderConfig config;
  final ProviderHttp http;

  RemoteEmbedder(EmbedderConfig config, String provider, String keyVariable, ProviderHttp.Sleeper sleeper) {
    this.config = config;
    this.http = new ProviderHttp(provider, keyVariable, config.timeout(), config.maxAttempts(),
        config.initialBackoff(), sleeper);
  }

  @Override
  public final String model() {
    return config.model();
  }

  @Override
  public final int dimension() {
    return config.dimension();
  }

  /** Embeds {@code texts} in requests of at most {@code batchSize} texts. */
  final List<Embedding> inBatches(List<String> texts, int batchSize, Batch batch) {
    List<Embedding> embeddings = new ArrayList<>(texts.size());
    for (int start = 0; start < texts.size(); start += batchSize) {
      embeddings.addAll(batch.embed(texts.subList(start, Math.min(texts.size(), start + batchSize))));
    }
    return embeddings;
  }

  /** One request's worth of texts. */
  interface Batch {
    List<Embedding> embed(List<String> texts);
  }
}
