package dev.abilitystore.embeddings;

import static java.util.Objects.requireNonNull;

import dev.abilitystore.InvalidInputException;
import dev.abilitystore.validation.Limits;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How to reach a remote embedding provider. Immutable; {@link #toString()} hides the key.
 *
 * @param baseUrl the server, without a trailing slash ({@code https://api.openai.com})
 * @param apiKey the key, or null for servers that need none
 * @param model the model name
 * @param dimension the dimension of the vectors it makes
 * @param dimensionRequested whether to ask the server for {@code dimension} explicitly
 * @param batchSize texts per request at most
 * @param timeout longest wait for one answer
 * @param maxAttempts tries per request, retries included
 * @param initialBackoff first wait before a retry; it doubles (with jitter) per retry
 */
public record EmbedderConfig(String baseUrl, @Nullable String apiKey, String model, int dimension,
    boolean dimensionRequested, int batchSize, Duration timeout, int maxAttempts, Duration initialBackoff) {

  public static final int DEFAULT_BATCH_SIZE = 100;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);

  public EmbedderConfig {
    requireNonNull(baseUrl, "baseUrl");
    requireNonNull(model, "model");
    baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    URI uri;
    try {
      uri = URI.create(baseUrl);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("embedding provider URL is not a URL: " + e.getMessage());
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new InvalidInputException("embedding provider URL must start with http:// or https://, was " + baseUrl);
    }
    if (model.isBlank()) {
      throw new InvalidInputException("embedding model must not be empty");
    }
    if (dimension < 1 || dimension > Limits.MAX_DIMENSION) {
      throw new InvalidInputException("embedding dimension must be between 1 and " + Limits.MAX_DIMENSION + ", was "
          + dimension);
    }
    if (batchSize < 1 || batchSize > 2048) {
      throw new InvalidInputException("embedding batch size must be between 1 and 2048, was " + batchSize);
    }
    if (maxAttempts < 1 || maxAttempts > 20) {
      throw new InvalidInputException("embedding attempts must be between 1 and 20, was " + maxAttempts);
    }
    if (timeout.isNegative() || timeout.isZero() || initialBackoff.isNegative()) {
      throw new InvalidInputException("embedding timeout must be positive and backoff not negative");
    }
  }

  /** Returns a configuration with default batching, timeout and retries. */
  public static EmbedderConfig of(String baseUrl, @Nullable String apiKey, String model, int dimension,
      boolean dimensionRequested) {
    return new EmbedderConfig(baseUrl, apiKey, model, dimension, dimensionRequested, DEFAULT_BATCH_SIZE,
        DEFAULT_TIMEOUT, DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_BACKOFF);
  }

  @Override
  public String toString() {
    return "EmbedderConfig[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "****") + ", model=" + model
        + ", dimension=" + dimension + ", batchSize=" + batchSize + ", timeout=" + timeout + ", maxAttempts="
        + maxAttempts + "]";
  }
}
