package dev.abilitystore.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.abilitystore.fuzz.JsonText;
import dev.abilitystore.fuzz.Verdict;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One request of the HTTP fuzz suite and what it must answer.
 *
 * @param number the input's number, which {@code -Dfuzz.only} takes
 * @param category what kind of bad input it is, for the summary
 * @param method the HTTP method
 * @param target the path and query, percent-encoded as sent
 * @param headers request headers (Content-Type among them), in order
 * @param body the body, or null for none
 * @param chunked send the body without a Content-Length
 * @param raw the whole request as bytes, sent over a plain socket (then the fields above only describe it)
 * @param verdict what the model expects
 * @param check what a 2xx answer must show beyond its status, or null
 */
record FuzzInput(long number, String category, String method, String target, Map<String, String> headers,
    byte @Nullable [] body, boolean chunked, byte @Nullable [] raw, Verdict verdict, @Nullable LiteralCheck check) {

  /** What a 2xx answer must hold: throws an AssertionError saying what it lacks. */
  @FunctionalInterface
  interface LiteralCheck {
    void verify(JsonNode answer);
  }

  static FuzzInput json(long number, String category, String method, String target, byte @Nullable [] body,
      Verdict verdict) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (body != null) {
      headers.put("Content-Type", "application/json");
    }
    return new FuzzInput(number, category, method, target, headers, body, false, null, verdict, null);
  }

  static FuzzInput json(long number, String category, String method, String target, String body, Verdict verdict) {
    return json(number, category, method, target, JsonText.utf8(body), verdict);
  }

  FuzzInput withCheck(@Nullable LiteralCheck literal) {
    return new FuzzInput(number, category, method, target, headers, body, chunked, raw, verdict, literal);
  }

  FuzzInput withHeaders(Map<String, String> replaced) {
    return new FuzzInput(number, category, method, target, replaced, body, chunked, raw, verdict, check);
  }

  FuzzInput chunkedBody() {
    return new FuzzInput(number, category, method, target, headers, body, true, raw, verdict, check);
  }

  /** The route this input aims at, such as {@code POST /v1/abilities}, for grouping. */
  String route() {
    String path = target.split("\\?", 2)[0];
    if (path.startsWith("/v1/abilities/")) {
      path = "/v1/abilities/{ability_id}";
    }
    return method + " " + path;
  }

  /** True when a 2xx answer of this input may change a store. */
  boolean writes() {
    return (method.equals("POST") && (target.startsWith("/v1/abilities") || target.startsWith("/v1/sync")))
        || method.equals("DELETE") || raw != null;
  }

  /** The input, shown for a failure message. */
  String describe() {
    StringBuilder text = new StringBuilder().append(method).append(' ').append(JsonText.preview(JsonText.utf8(target),
        300));
    headers.forEach((name, value) -> text.append("\n    ").append(name).append(": ")
        .append(JsonText.preview(JsonText.utf8(value), 200)));
    if (chunked) {
      text.append("\n    (body sent chunked, without Content-Length)");
    }
    if (body != null) {
      text.append("\n    body (").append(body.length).append(" bytes): ").append(JsonText.preview(body, 1500));
    }
    if (raw != null) {
      text.append("\n    raw request (").append(raw.length).append(" bytes): ").append(JsonText.preview(raw, 1500));
    }
    return text.toString();
  }
}
