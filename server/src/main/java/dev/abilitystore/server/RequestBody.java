package dev.abilitystore.server;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads request bodies: declared as JSON (415 otherwise, a missing content type included, so that
 * a browser on another site cannot post without a CORS preflight), refused with 413 as soon as
 * they exceed the limit (before reading, when the declared length already does), and parsed
 * strictly (no NaN or Infinity, no trailing content, bounded nesting). Thread-safe.
 */
final class RequestBody {
  private static final int MAX_ECHOED_MESSAGE_CHARS = 200;
  /** Jackson's hints at its own settings ({@code enable `JsonReadFeature...`}), which mean nothing to a caller. */
  private static final Pattern JACKSON_ADVICE = Pattern.compile(",? (from|enable|to allow)? ?`[^`]*`( to allow)?");

  private final long maxBodyBytes;

  RequestBody(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Returns a streaming parser over the body. */
  JsonParser parser(Context ctx) throws IOException {
    return ApiJson.FACTORY.createParser(open(ctx));
  }

  /**
   * Returns the body as a JSON object, or an empty one if the body is empty and {@code emptyAllowed}.
   *
   * @throws ProblemException if the body is no JSON object
   */
  ObjectNode object(Context ctx, boolean emptyAllowed) {
    JsonNode node;
    try (InputStream in = open(ctx)) {
      node = ApiJson.MAPPER.readTree(in);
    } catch (JsonProcessingException e) {
      throw malformed(e);
    } catch (IOException e) {
      throw unreadable(e);
    }
    if (node == null || node.isMissingNode()) {
      if (emptyAllowed) {
        return ApiJson.object();
      }
      throw ProblemException.malformedJson("the request body is empty; a JSON object is expected");
    }
    if (!(node instanceof ObjectNode object)) {
      throw ProblemException.malformedJson("the request body must be a JSON object, was " + JsonFields.describe(node));
    }
    return object;
  }

  /** Returns the problem that answers a body Jackson could not read, with where it stopped. */
  static ProblemException malformed(JsonProcessingException e) {
    String message = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage();
    if (message.contains("Non-standard token") || message.contains("Non-standard numeric")) {
      message = "NaN and Infinity are not JSON numbers";
    } else {
      message = ApiJson.bounded(JACKSON_ADVICE.matcher(message).replaceAll(""), MAX_ECHOED_MESSAGE_CHARS);
    }
    JsonLocation location = e.getLocation();
    String where = location == null || location.getLineNr() < 1 ? ""
        : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    return ProblemException.malformedJson("the request body is not valid JSON: " + message + where);
  }

  /**
   * Returns the problem that answers a body that could not be read for another reason than its
   * JSON: bytes that are no text in the encoding JSON detected (say, UTF-32 beyond U+10FFFF), or
   * a connection that ended early.
   */
  static ProblemException unreadable(IOException e) {
    if (e instanceof java.io.CharConversionException) {
      return ProblemException.malformedJson("the request body is not valid JSON: it is not text in a Unicode "
          + "encoding (" + ApiJson.bounded(String.valueOf(e.getMessage()), MAX_ECHOED_MESSAGE_CHARS) + ")");
    }
    return ProblemException.malformedJson("the request body could not be read");
  }

  /** Opens the body; an empty one needs no content type. */
  private InputStream open(Context ctx) throws IOException {
    if (ctx.req().getContentLengthLong() > maxBodyBytes) {
      throw ProblemException.bodyTooLarge(maxBodyBytes);
    }
    PushbackInputStream body = new PushbackInputStream(new LimitedInputStream(ctx.req().getInputStream(),
        maxBodyBytes), 1);
    int first = body.read();
    if (first >= 0) {
      checkContentType(ctx.contentType());
      checkContentEncoding(ctx.header("Content-Encoding"));
      body.unread(first);
    }
    return body;
  }

  /** Refuses a compressed body: the server reads bodies as they are, so it would misread one. */
  private static void checkContentEncoding(@Nullable String contentEncoding) {
    if (contentEncoding != null && !contentEncoding.isBlank() && !contentEncoding.strip().equalsIgnoreCase("identity")) {
      throw new ProblemException(new Problem(415, "unsupported-media-type", "Unsupported media type",
          "the request body must not be encoded (Content-Encoding: " + ApiJson.bounded(contentEncoding)
              + "); send it as plain JSON"));
    }
  }

  private static void checkContentType(@Nullable String contentType) {
    if (contentType == null || contentType.isBlank()) {
      throw ProblemException.unsupportedMediaType("nothing");
    }
    String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    boolean json = mediaType.equals(ApiJson.MEDIA_TYPE)
        || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    if (!json) {
      throw ProblemException.unsupportedMediaType(contentType);
    }
  }
}
