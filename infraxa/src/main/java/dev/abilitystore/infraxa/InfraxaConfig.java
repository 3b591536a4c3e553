package dev.abilitystore.infraxa;

import static java.util.Objects.requireNonNull;

import dev.abilitystore.InvalidInputException;
import java.net.URI;
import java.time.Duration;

/**
 * How {@link InfraxaVectorIndex} reaches Infraxa. Immutable; build with {@link #builder}.
 *
 * @param baseUrl the API's base URL ({@code VECTOR_DB_API})
 * @param tenant the workspace ({@code VECTOR_DB_TENANT})
 * @param dimension the dimension of every embedding, checked against each collection's
 * @param connectTimeout how long to wait for a connection
 * @param requestTimeout how long to wait for one answer
 * @param maxBodyBytes largest insert body sent; batches are split to stay under it
 * @param parallelism most calls in flight at once (collection fan-out, lookups)
 * @param maxRetries retries of an idempotent call after a 5xx answer, timeout or I/O error
 * @param retryBackoff the first retry's delay; doubled each retry up to {@code maxRetryBackoff}, with jitter
 * @param maxRetryBackoff the longest delay between retries
 * @param breakerThreshold consecutive failed calls that open the circuit breaker
 * @param breakerOpenPeriod how long the breaker stays open before letting a trial call through
 * @param maxVectors the {@code max_vectors} of a workspace this index creates
 */
public record InfraxaConfig(URI baseUrl, String tenant, int dimension, Duration connectTimeout,
    Duration requestTimeout, int maxBodyBytes, int parallelism, int maxRetries, Duration retryBackoff,
    Duration maxRetryBackoff, int breakerThreshold, Duration breakerOpenPeriod, long maxVectors) {
  /** The original system's workspace. */
  public static final String DEFAULT_TENANT = "reverse_engineer";
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Documented insert latency is under 3 s per batch; twice that before giving up on one answer. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(6);
  public static final int DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
  public static final int DEFAULT_PARALLELISM = 8;
  public static final int DEFAULT_MAX_RETRIES = 3;
  public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(200);
  public static final Duration DEFAULT_MAX_RETRY_BACKOFF = Duration.ofSeconds(5);
  public static final int DEFAULT_BREAKER_THRESHOLD = 5;
  public static final Duration DEFAULT_BREAKER_OPEN_PERIOD = Duration.ofSeconds(30);
  public static final long DEFAULT_MAX_VECTORS = 1_000_000;

  public InfraxaConfig {
    requireNonNull(baseUrl, "baseUrl");
    requireNonNull(tenant, "tenant");
    if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
      throw new InvalidInputException("VECTOR_DB_API must be an http or https URL, was " + baseUrl);
    }
    if (tenant.isEmpty() || !tenant.matches("[A-Za-z0-9_.-]+")) {
      throw new InvalidInputException("VECTOR_DB_TENANT must be letters, digits, '_', '.' or '-', was '" + tenant + "'");
    }
    positive("dimension", dimension);
    positive("maxBodyBytes", maxBodyBytes);
    positive("parallelism", parallelism);
    positive("breakerThreshold", breakerThreshold);
    positive("maxVectors", maxVectors);
    if (maxRetries < 0) {
      throw new InvalidInputException("maxRetries must not be negative, was " + maxRetries);
    }
    for (Duration duration : new Duration[] {connectTimeout, requestTimeout, retryBackoff, maxRetryBackoff,
        breakerOpenPeriod}) {
      if (duration.isNegative() || duration.isZero()) {
        throw new InvalidInputException("durations must be positive, was " + duration);
      }
    }
  }

  /** Returns a builder with every default set. */
  public static Builder builder(URI baseUrl, int dimension) {
    return new Builder(baseUrl, dimension);
  }

  private static void positive(String name, long value) {
    if (value < 1) {
      throw new InvalidInputException(name + " must be positive, was " + value);
    }
  }

  /** Builds an {@link InfraxaConfig}; not thread-safe. */
  public static final class Builder {
    private final URI baseUrl;
    private final int dimension;
    private String tenant = DEFAULT_TENANT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private int parallelism = DEFAULT_PARALLELISM;
    private int maxRetries = DEFAULT_MAX_RETRIES;
    private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
    private Duration maxRetryBackoff = DEFAULT_MAX_RETRY_BACKOFF;
    private int breakerThreshold = DEFAULT_BREAKER_THRESHOLD;
    private Duration breakerOpenPeriod = DEFAULT_BREAKER_OPEN_PERIOD;
    private long maxVectors = DEFAULT_MAX_VECTORS;

    private Builder(URI baseUrl, int dimension) {
      this.baseUrl = requireNonNull(baseUrl, "baseUrl");
      this.dimension = dimension;
    }

    public Builder tenant(String tenant) {
      this.tenant = requireNonNull(tenant, "tenant");
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = requireNonNull(timeout, "timeout");
      return this;
    }

    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = requireNonNull(timeout, "timeout");
      return this;
    }

    public Builder maxBodyBytes(int bytes) {
      this.maxBodyBytes = bytes;
      return this;
    }

    public Builder parallelism(int calls) {
      this.parallelism = calls;
      return this;
    }

    public Builder retries(int maxRetries, Duration firstBackoff, Duration maxBackoff) {
      this.maxRetries = maxRetries;
      this.retryBackoff = requireNonNull(firstBackoff, "firstBackoff");
      this.maxRetryBackoff = requireNonNull(maxBackoff, "maxBackoff");
      return this;
    }

    public Builder breaker(int threshold, Duration openPeriod) {
      this.breakerThreshold = threshold;
      this.breakerOpenPeriod = requireNonNull(openPeriod, "openPeriod");
      return this;
    }

    public Builder maxVectors(long maxVectors) {
      this.maxVectors = maxVectors;
      return this;
    }

    /**
     * Returns the configuration.
     *
     * @throws InvalidInputException if a setting is out of range
     */
    public InfraxaConfig build() {
      if (maxRetryBackoff.compareTo(retryBackoff) < 0) {
        throw new InvalidInputException("maxRetryBackoff " + maxRetryBackoff + " is shorter than retryBackoff "
            + retryBackoff);
      }
      return new InfraxaConfig(baseUrl, tenant, dimension, connectTimeout, requestTimeout, maxBodyBytes,
          parallelism, maxRetries, retryBackoff, maxRetryBackoff, breakerThreshold, breakerOpenPeriod, maxVectors);
    }
  }
}
