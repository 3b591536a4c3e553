package dev.abilitystore.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.abilitystore.DimensionMismatchException;
import dev.abilitystore.InvalidAbilityException;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.replication.ReplicationQueueFullException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one exception mapper of the server: every exception a request ends with is answered as an
 * RFC 9457 problem. Refused input is 400 (naming the fields at fault when they are known), an
 * unavailable store 503 with {@code Retry-After}, and anything unexpected 500 with a generic
 * detail and the request id, logged once with its stack trace. Stateless.
 */
final class ProblemResponses {
  private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);
  /** Seconds a caller should wait after a 503: as long as the store leaves a failed index alone. */
  static final int RETRY_AFTER_SECONDS = 5;
  /**
   * Most bytes of an unread request body read and dropped before a problem is answered. A server
   * that closes a connection with unread bytes in its receive buffer resets it, and the reset can
   * reach the client before the answer: a client sending a body too large, or to an endpoint that
   * refuses it early (401, 415), would see a broken connection instead of the problem.
   */
  static final long DRAIN_LIMIT = 16L << 20;

  private ProblemResponses() {}

  /** Answers the request with the problem {@code exception} stands for. */
  static void handle(Exception exception, Context ctx) {
    Problem problem = problemFor(exception, ctx);
    switch (problem.status()) {
      case 401 -> ctx.header("WWW-Authenticate", ApiKeyAuthentication.CHALLENGE);
      case 503 -> ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
      default -> { }
    }
    if (exception instanceof HttpResponseException http && http.getStatus() == 405) {
      String allowed = http.getDetails().get("availableMethods");
      if (allowed != null) {
        ctx.header("Allow", allowed);
      }
    }
    drainBody(ctx);
    ApiJson.send(ctx, problem.status(), Problem.MEDIA_TYPE, problem.toJson(ctx.path()));
  }

  /**
   * Reads and drops what is left of the request body, up to {@value #DRAIN_LIMIT} bytes, so that
   * the client reads the answer; not when the client waits for {@code 100 Continue} (it then sends
   * nothing) or declared a larger body.
   */
  private static void drainBody(Context ctx) {
    String expect = ctx.header("Expect");
    if ((expect != null && expect.toLowerCase(Locale.ROOT).contains("100-continue"))
        || ctx.req().getContentLengthLong() > DRAIN_LIMIT) {
      return;
    }
    try {
      java.io.InputStream in = ctx.req().getInputStream();
      byte[] buffer = new byte[8192];
      long drained = 0;
      for (int read = in.read(buffer); read > 0 && drained < DRAIN_LIMIT; read = in.read(buffer)) {
        drained += read;
      }
    } catch (java.io.IOException | RuntimeException e) {
      // the client went away, or the body cannot be read again: answer anyway
    }
  }

  private static Problem problemFor(Exception exception, Context ctx) {
    ProblemException refused = find(exception, ProblemException.class);
    if (refused != null) {
      return refused.problem();
    }
    return switch (exception) {
      case JsonProcessingException json -> RequestBody.malformed(json).problem();
      case InvalidAbilityException invalid ->
          new Problem(400, "invalid-ability", "Invalid ability", invalid.getMessage(), invalid.errors());
      case DimensionMismatchException mismatch ->
          new Problem(400, "dimension-mismatch", "Dimension mismatch", mismatch.getMessage());
      case InvalidInputException invalid -> new Problem(400, "invalid-request", "Invalid request", invalid.getMessage());
      case ReplicationQueueFullException full -> {
        log.warn("[HTTP] {} {} (request {}) refused: {}", ctx.method(), ctx.path(), RequestIds.of(ctx),
            full.getMessage());
        yield new Problem(503, "replication-queue-full", "Replication queue full", "PostgreSQL is unreachable and "
            + "the replication queue is full: the write was not acknowledged; retry later");
      }
      case StoreUnavailableException unavailable -> {
        log.warn("[HTTP] {} {} (request {}) failed: {}", ctx.method(), ctx.path(), RequestIds.of(ctx),
            unavailable.getMessage());
        yield new Problem(503, "store-unavailable", "Store unavailable", "a store of the catalogue is unavailable; "
            + "nothing was acknowledged; retry later (the server's log names the store)");
      }
      case HttpResponseException http -> fromJavalin(http, ctx);
      default -> {
        log.error("[HTTP] {} {} (request {}) failed unexpectedly", ctx.method(), ctx.path(), RequestIds.of(ctx),
            exception);
        yield new Problem(500, "internal-error", "Internal server error", "an unexpected error occurred; the "
            + "server's log has the details under request id " + RequestIds.of(ctx));
      }
    };
  }

  private static Problem fromJavalin(HttpResponseException http, Context ctx) {
    HttpStatus status = HttpStatus.forStatus(http.getStatus());
    String reason = status.getMessage().toLowerCase(Locale.ROOT);
    String kind = reason.replace(' ', '-');
    String title = Character.toUpperCase(reason.charAt(0)) + reason.substring(1);
    String detail = switch (http.getStatus()) {
      case 404 -> "nothing is at " + ctx.method() + " " + ApiJson.bounded(ctx.path());
      case 405 -> ctx.method() + " is not allowed on " + ApiJson.bounded(ctx.path()) + allowed(http.getDetails());
      default -> http.getMessage() == null || http.getMessage().isBlank() ? status.getMessage() : http.getMessage();
    };
    return new Problem(http.getStatus(), kind, title, detail);
  }

  private static String allowed(Map<String, String> details) {
    String methods = details.get("availableMethods");
    return methods == null ? "" : "; allowed: " + methods;
  }

  private static <T extends Throwable> @Nullable T find(Throwable thrown, Class<T> type) {
    for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return type.cast(cause);
      }
    }
    return null;
  }
}
