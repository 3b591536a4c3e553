package dev.abilitystore.server;

import io.javalin.http.Context;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request an id, answered in {@code X-Request-Id}: the caller's, when it sent a
 * plausible one, else a new UUID. Logs of a failed request carry it, so that a caller quoting it
 * leads to the log line. Stateless.
 */
final class RequestIds {
  static final String HEADER = "X-Request-Id";
  private static final String ATTRIBUTE = "abilitystore.request-id";
  private static final Pattern PLAUSIBLE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private RequestIds() {}

  /** Assigns the request its id; a before-handler of every path. */
  static void assign(Context ctx) {
    String given = ctx.header(HEADER);
    String id = given != null && PLAUSIBLE.matcher(given).matches() ? given : UUID.randomUUID().toString();
    ctx.attribute(ATTRIBUTE, id);
    ctx.header(HEADER, id);
  }

  /** Returns the request's id, or {@code -} before one was assigned. */
  static String of(Context ctx) {
    String id = ctx.attribute(ATTRIBUTE);
    return id == null ? "-" : id;
  }
}
