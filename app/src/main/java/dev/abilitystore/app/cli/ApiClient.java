package dev.abilitystore.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.abilitystore.AbilityStoreException;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.app.Settings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A small client of the HTTP API, for {@code --url}: JSON in and out, {@code Authorization:
 * Bearer} when a key is set, and RFC 9457 problem answers turned into the exceptions that the
 * same command throws on local stores, so that messages and exit codes agree. Thread-safe.
 */
final class ApiClient {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** Long enough for 1,000 abilities embedded by the local model, or a sync of a large catalogue. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(30);
  /** Problem details echoed at most, so that a misbehaving server cannot flood the terminal. */
  private static final int MAX_DETAIL_CHARS = 4_000;

  private final HttpClient http;
  private final URI base;
  private final @Nullable String apiKey;

  ApiClient(Settings.Remote remote) {
    this.base = remote.url();
    this.apiKey = remote.apiKey();
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  URI base() {
    return base;
  }

  /** Returns the JSON answer of {@code GET path}. */
  JsonNode get(String path) {
    return json(expectSuccess(send("GET", path, null)));
  }

  /** Returns the JSON answer of {@code GET path}, or empty when the server answers 404. */
  Optional<JsonNode> find(String path) {
    HttpResponse<String> response = send("GET", path, null);
    return response.statusCode() == 404 ? Optional.empty() : Optional.of(json(expectSuccess(response)));
  }

  /** Returns the JSON answer of {@code POST path} with a JSON body. */
  JsonNode post(String path, String body) {
    return json(expectSuccess(send("POST", path, body)));
  }

  /** Returns the JSON answer of {@code DELETE path}. */
  JsonNode delete(String path) {
    return json(expectSuccess(send("DELETE", path, null)));
  }

  /** Returns {@code text} encoded as one path segment or query value. */
  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Returns {@code path?name=value&...}, leaving out null values. */
  static String withQuery(String path, Map<String, ? extends @Nullable Object> parameters) {
    StringBuilder uri = new StringBuilder(path);
    char separator = '?';
    for (Map.Entry<String, ? extends @Nullable Object> parameter : parameters.entrySet()) {
      Object value = parameter.getValue();
      List<?> values = value instanceof List<?> list ? list : value == null ? List.of() : List.of(value);
      for (Object each : values) {
        uri.append(separator).append(encode(parameter.getKey())).append('=').append(encode(String.valueOf(each)));
        separator = '&';
      }
    }
    return uri.toString();
  }

  private HttpResponse<String> send(String method, String path, @Nullable String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(REQUEST_TIMEOUT)
        .header("Accept", "application/json, application/problem+json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException e) {
      throw new StoreUnavailableException("cannot reach the server at " + base + ": no answer within "
          + CONNECT_TIMEOUT.toSeconds() + " s", e);
    } catch (ConnectException e) {
      throw new StoreUnavailableException("cannot reach the server at " + base + " (connection refused): is "
          + "`abilitystore serve` running there?", e);
    } catch (HttpTimeoutException e) {
      throw new StoreUnavailableException(method + " " + path + " at " + base + " did not answer within "
          + REQUEST_TIMEOUT.toMinutes() + " min", e);
    } catch (IOException e) {
      throw new StoreUnavailableException("cannot reach the server at " + base + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while waiting for the server at " + base, e);
    }
  }

  private HttpResponse<String> expectSuccess(HttpResponse<String> response) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return response;
    }
    String problem = problem(response);
    String request = response.request().method() + " " + response.request().uri().getRawPath();
    throw switch (status) {
      case 401 -> new InvalidInputException("the server at " + base + " needs an API key (401: " + problem + "): give "
          + "it with --api-key or " + Settings.API_KEY);
      case 403 -> new InvalidInputException("the server at " + base + " refused the API key (403: " + problem + ")");
      case 400, 409, 413, 415, 422 -> new InvalidInputException(problem);
      case 502, 503, 504 -> new StoreUnavailableException(problem);
      default -> new AbilityStoreException(request + " at " + base + " failed with status " + status + ": " + problem);
    };
  }

  /**
   * Returns the message of a problem answer: its {@code detail} (or {@code title}) and each of its
   * field {@code errors}; the raw body, bounded, when it is no problem document.
   */
  private static String problem(HttpResponse<String> response) {
    String body = response.body() == null ? "" : response.body();
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      node = null;
    }
    if (node == null || !node.isObject()) {
      String text = body.strip();
      return text.isEmpty() ? "HTTP " + response.statusCode() : bounded(text);
    }
    String detail = node.path("detail").asText(node.path("title").asText("HTTP " + response.statusCode()));
    List<String> errors = new ArrayList<>();
    JsonNode fieldErrors = node.path("errors");
    if (fieldErrors.isObject()) {
      for (Map.Entry<String, JsonNode> field : fieldErrors.properties()) {
        if (field.getValue().isArray()) {
          field.getValue().forEach(message -> errors.add(field.getKey() + ": " + message.asText()));
        } else {
          errors.add(field.getKey() + ": " + field.getValue().asText());
        }
      }
    } else if (fieldErrors.isArray()) {
      for (JsonNode error : fieldErrors) {
        errors.add(error.isObject() ? error.path("field").asText("") + ": " + error.path("message").asText(
            error.path("detail").asText("")) : error.asText());
      }
    }
    StringBuilder message = new StringBuilder(detail);
    for (String error : errors) {
      if (!detail.contains(error)) {
        message.append("\n  ").append(error);
      }
    }
    return bounded(message.toString());
  }

  private static JsonNode json(HttpResponse<String> response) {
    try {
      return MAPPER.readTree(response.body());
    } catch (JsonProcessingException e) {
      throw new AbilityStoreException(response.request().method() + " " + response.request().uri().getRawPath()
          + " answered no JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static String bounded(String text) {
    return text.length() > MAX_DETAIL_CHARS ? text.substring(0, MAX_DETAIL_CHARS) + "..." : text;
  }
}
