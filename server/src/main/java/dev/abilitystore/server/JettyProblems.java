package dev.abilitystore.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * RFC 9457 problems for what Jetty refuses before the API sees a request: a malformed request
 * line, URI, header or body framing (400), a URI or headers too long (414, 431), and methods
 * that are no standard HTTP method (405: Javalin fails on a method name that is not upper case
 * and remembers every other one it is sent). Without these, such requests were answered with
 * Jetty's HTML error page, or a 500. Stateless apart from the routes it is given.
 */
final class JettyProblems {
  /** The methods that reach the API; any other is answered 405 here. */
  static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE");
  private static final int MAX_INSTANCE_CHARS = 200;

  private JettyProblems() {}

  /** Jetty's error handler for the server and the servlet context: every error as a problem. */
  static final class ProblemErrorHandler extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      int status = response.getStatus() >= 400 ? response.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR_500;
      if (request.getAttribute(ERROR_STATUS) instanceof Integer code && code >= 400) {
        status = code;
      }
      String message = request.getAttribute(ERROR_MESSAGE) instanceof String text ? text : null;
      if (status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505) {
        // the client's fault, not the server's: a request line this server cannot read
        status = HttpStatus.BAD_REQUEST_400;
        message = "HTTP version not supported; send HTTP/1.1";
      }
      // Jetty closes the connection after a request it could not parse, but does not say so: a
      // client would send its next request on it and see the connection drop.
      writeProblem(request, response, callback, status, detail(status, message),
          HttpFields.build().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString()));
      return true;
    }
  }

  /**
   * Answers a method that is no standard HTTP method (such as {@code get} or {@code FUZZ}) with a
   * 405 naming the methods the path allows, before Javalin sees it.
   */
  static final class MethodGuard extends Handler.Wrapper {
    private final List<ApiServer.Route> routes;

    MethodGuard(List<ApiServer.Route> routes) {
      this.routes = routes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String method = request.getMethod();
      if (METHODS.contains(method)) {
        return super.handle(request, response, callback);
      }
      String path = request.getHttpURI().getPath();
      String allowed = allowed(path == null ? "/" : path);
      // the request's body, if any, is left unread, after which Jetty closes the connection: say so
      HttpFields.Mutable headers = HttpFields.build().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
      if (allowed.isEmpty()) {
        writeProblem(request, response, callback, HttpStatus.NOT_FOUND_404, "nothing is at "
            + ApiJson.bounded(method) + " " + ApiJson.bounded(String.valueOf(path)), headers);
        return true;
      }
      writeProblem(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "'" + ApiJson.bounded(method)
          + "' is no HTTP method this server knows; allowed here: " + allowed, headers.put(HttpHeader.ALLOW, allowed));
      return true;
    }

    private String allowed(String path) {
      StringJoiner methods = new StringJoiner(", ");
      routes.stream().filter(route -> matches(route.path(), path)).map(ApiServer.Route::method).distinct().sorted()
          .forEach(methods::add);
      return methods.toString();
    }

    private static boolean matches(String template, String path) {
      String[] expected = template.split("/", -1);
      String[] actual = path.split("/", -1);
      if (expected.length != actual.length) {
        return false;
      }
      for (int i = 0; i < expected.length; i++) {
        boolean parameter = expected[i].startsWith("{") && expected[i].endsWith("}");
        if (parameter ? actual[i].isEmpty() : !expected[i].equals(actual[i])) {
          return false;
        }
      }
      return true;
    }
  }

  private static String detail(int status, @Nullable String message) {
    String reason = HttpStatus.getMessage(status);
    String said = message == null || message.isBlank() || message.equalsIgnoreCase(reason) ? ""
        : ": " + ApiJson.bounded(message.replaceAll("\\p{Cntrl}", "?"), 200);
    return switch (status) {
      case HttpStatus.URI_TOO_LONG_414 -> "the request URI is longer than this server accepts";
      case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431 -> "the request headers are larger than this server accepts";
      case HttpStatus.PAYLOAD_TOO_LARGE_413 -> "the request body is larger than this server accepts";
      default -> status < 500 ? "the request is malformed" + said : "the server could not answer the request" + said;
    };
  }

  private static Problem problem(int status, String detail) {
    String reason = HttpStatus.getMessage(status);
    String kind = status == HttpStatus.PAYLOAD_TOO_LARGE_413 ? "body-too-large"
        : status >= 500 ? "internal-error" : reason.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    return new Problem(status, kind, reason, detail);
  }

  private static void writeProblem(Request request, Response response, Callback callback, int status, String detail,
      HttpFields extra) {
    String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
    String instance = path == null || !path.startsWith("/") ? "/" : ApiJson.bounded(path, MAX_INSTANCE_CHARS);
    byte[] body = bytes(problem(status, detail), instance);
    response.setStatus(status);
    HttpFields.Mutable headers = response.getHeaders();
    headers.put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
    headers.put(HttpHeader.CONTENT_LENGTH, body.length);
    for (HttpField field : extra) {
      headers.put(field);
    }
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  private static byte[] bytes(Problem problem, String instance) {
    try {
      return ApiJson.MAPPER.writeValueAsBytes(problem.toJson(instance));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a problem is always JSON", e);
    }
  }
}
