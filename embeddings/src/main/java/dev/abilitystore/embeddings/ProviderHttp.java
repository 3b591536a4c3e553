package dev.abilitystore.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.abilitystore.AbilityStoreException;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.StoreUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs JSON to an embedding provider with the resilience a remote call needs: a timeout per
 * request; up to {@code maxAttempts} tries on 429, 5xx, timeouts and broken connections, waiting
 * as {@code Retry-After} says or else exponentially (with full jitter) between tries; and clear,
 * final errors for 400 (the request) and 401/403 (the key). Messages quote at most a bounded part
 * of the provider's answer and never the key. Thread-safe.
 */
final class ProviderHttp {
  private static final Logger log = LoggerFactory.getLogger(ProviderHttp.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /** Waits between tries; tests pass one that records instead of sleeping. */
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final HttpClient client;
  private final String provider;
  private final String keyVariable;
  private final Duration timeout;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Sleeper sleeper;

  ProviderHttp(String provider, String keyVariable, Duration timeout, int maxAttempts, Duration initialBackoff,
      Sleeper sleeper) {
    this.client = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    this.provider = provider;
    this.keyVariable = keyVariable;
    this.timeout = timeout;
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
    this.sleeper = sleeper;
  }

  JsonNode post(URI uri, Map<String, String> headers, Object body) {
    String json;
    try {
      json = JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new AbilityStoreException("[Embeddings] cannot write the " + provider + " request", e);
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    headers.forEach(request::header);
    String lastProblem = "";
    for (int attempt = 1; ; attempt++) {
      Duration wait;
      try {
        HttpResponse<String> response = client.send(request.build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        int status = response.statusCode();
        if (status == 200) {
          return JSON.readTree(response.body());
        }
        lastProblem = "HTTP " + status + describe(response.body());
        if (status == 400 || status == 404 || status == 422) {
          throw new InvalidInputException("[Embeddings] " + provider + " rejected the request (" + lastProblem + ")");
        }
        if (status == 401 || status == 403) {
          throw new InvalidInputException("[Embeddings] " + provider + " refused the API key (HTTP " + status
              + "): check " + keyVariable);
        }
        if (status != 429 && status < 500) {
          throw new AbilityStoreException("[Embeddings] " + provider + " answered " + lastProblem);
        }
        wait = retryAfter(response).orElse(backoff(attempt));
      } catch (HttpTimeoutException e) {
        lastProblem = "no answer within " + timeout.toMillis() + " ms";
        wait = backoff(attempt);
      } catch (IOException e) {
        lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        wait = backoff(attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AbilityStoreException("[Embeddings] interrupted while calling " + provider, e);
      }
      if (attempt >= maxAttempts) {
        throw new StoreUnavailableException("[Embeddings] " + provider + " failed " + attempt + " times; last: "
            + lastProblem);
      }
      log.warn("[Embeddings] {} try {} of {} failed ({}); retrying in {} ms", provider, attempt, maxAttempts,
          lastProblem, wait.toMillis());
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AbilityStoreException("[Embeddings] interrupted while waiting to retry " + provider, e);
      }
    }
  }

  /** Full-jitter exponential backoff: a random wait up to initial × 2^(attempt-1), capped. */
  Duration backoff(int attempt) {
    long ceiling = Math.min(MAX_BACKOFF.toMillis(), initialBackoff.toMillis() << Math.min(20, attempt - 1));
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
  }

  /** The wait a {@code Retry-After} header asks for: seconds, or an HTTP date; capped. */
  static java.util.Optional<Duration> retryAfter(HttpResponse<?> response) {
    return response.headers().firstValue("Retry-After").map(String::strip).flatMap(value -> {
      try {
        return java.util.Optional.of(Duration.ofSeconds(Long.parseLong(value)));
      } catch (NumberFormatException notSeconds) {
        try {
          Duration until = Duration.between(ZonedDateTime.now(),
              ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
          return java.util.Optional.of(until.isNegative() ? Duration.ZERO : until);
        } catch (DateTimeParseException notDate) {
          return java.util.Optional.empty();
        }
      }
    }).map(wait -> wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait);
  }

  private static String describe(@Nullable String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String message = body;
    try {
      JsonNode error = JSON.readTree(body).path("error");
      if (error.path("message").isTextual()) {
        message = error.path("message").asText();
      }
    } catch (IOException notJson) {
      // show the raw body, bounded
    }
    message = message.replaceAll("\\s+", " ");
    return ": " + (message.length() > 300 ? message.substring(0, 300) + "..." : message);
  }
}
