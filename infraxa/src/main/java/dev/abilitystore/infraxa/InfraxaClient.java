package dev.abilitystore.infraxa;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.abilitystore.AbilityStoreException;
import dev.abilitystore.StoreUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * The Infraxa API over one pooled {@link HttpClient}: JSON in and out, at most
 * {@code parallelism} calls in flight, retries and the circuit breaker.
 *
 * <p>Retry policy. A 5xx answer is retried for every call: the server answered that it failed.
 * A timeout or dropped connection leaves the outcome unknown; a {@link Call#READ_OR_IDEMPOTENT}
 * call is retried, since repeating it leaves the same state (reads, deletes by id, attribute
 * replacement, creation whose repeat answers 409). An {@link Call#INSERT} is not repeated
 * blindly: {@link OutcomeUnknownException} goes back to the index, which reads back what is
 * there before sending anything again. Backoff doubles from {@code retryBackoff} up to
 * {@code maxRetryBackoff}, each delay drawn uniformly from its upper half (jitter). Thread-safe.
 */
final class InfraxaClient implements AutoCloseable {
  /** How a call may be retried. */
  enum Call { READ_OR_IDEMPOTENT, INSERT }

  /** An answer below 500. */
  record Answer(int status, JsonNode body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    String error() {
      return body.path("error").asText(body.toString());
    }
  }

  /** An insert was sent and no answer came back: it may or may not have been applied. */
  static final class OutcomeUnknownException extends StoreUnavailableException {
    private static final long serialVersionUID = 1L;

    OutcomeUnknownException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private final InfraxaConfig config;
  private final HttpClient http;
  private final Semaphore permits;
  private final CircuitBreaker breaker;

  InfraxaClient(InfraxaConfig config, InstantSource clock) {
    this.config = config;
    this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout()).build();
    this.permits = new Semaphore(config.parallelism());
    this.breaker = new CircuitBreaker(config.breakerThreshold(), config.breakerOpenPeriod(), clock);
  }

  CircuitBreaker breaker() {
    return breaker;
  }

  /**
   * Sends one call and returns its answer, 2xx or 4xx.
   *
   * @throws StoreUnavailableException if the breaker is open or the call still failed after its retries
   * @throws OutcomeUnknownException if an insert got no answer
   */
  Answer send(String method, String path, @Nullable JsonNode body, Call call) {
    breaker.acquire();
    try {
      return attempt(method, path, body, call);
    } catch (StoreUnavailableException counted) {
      throw counted;
    } catch (RuntimeException interrupted) {
      breaker.failure();
      throw interrupted;
    }
  }

  private Answer attempt(String method, String path, @Nullable JsonNode body, Call call) {
    Duration backoff = config.retryBackoff();
    for (int attempt = 0; ; attempt++) {
      String failure;
      Exception cause = null;
      try {
        HttpResponse<byte[]> response = exchange(method, path, body);
        if (response.statusCode() < 500) {
          breaker.success();
          byte[] bytes = response.body();
          JsonNode answer = bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
          return new Answer(response.statusCode(), answer);
        }
        failure = "answered " + response.statusCode();
      } catch (IOException e) {
        if (call == Call.INSERT) {
          breaker.failure();
          throw new OutcomeUnknownException("[Infraxa] " + method + " " + path + " got no answer ("
              + e.getClass().getSimpleName() + "): the insert may or may not have been applied", e);
        }
        failure = "failed: " + e.getClass().getSimpleName() + " " + e.getMessage();
        cause = e;
      }
      if (attempt >= config.maxRetries()) {
        breaker.failure();
        String message = "[Infraxa] " + method + " " + path + " " + failure + " after " + (attempt + 1)
            + " attempts; breaker " + breaker.state().name().toLowerCase(java.util.Locale.ROOT);
        throw cause == null ? new StoreUnavailableException(message) : new StoreUnavailableException(message, cause);
      }
      sleep(jittered(backoff));
      backoff = backoff.multipliedBy(2).compareTo(config.maxRetryBackoff()) > 0 ? config.maxRetryBackoff()
          : backoff.multipliedBy(2);
    }
  }

  private HttpResponse<byte[]> exchange(String method, String path, @Nullable JsonNode body) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(config.baseUrl().toString().replaceAll("/+$", "")
        + path)).timeout(config.requestTimeout()).header("Accept", "application/json");
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
    }
    try {
      permits.acquire();
      try {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } finally {
        permits.release();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AbilityStoreException("[Infraxa] interrupted during " + method + " " + path, e);
    }
  }

  private static Duration jittered(Duration backoff) {
    long nanos = backoff.toNanos();
    return Duration.ofNanos(nanos / 2 + ThreadLocalRandom.current().nextLong(nanos / 2 + 1));
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AbilityStoreException("[Infraxa] interrupted while backing off", e);
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
