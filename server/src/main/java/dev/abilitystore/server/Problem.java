package dev.abilitystore.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.abilitystore.FieldError;
import java.util.List;

/**
 * An RFC 9457 problem: what every error of the API answers, as {@code application/problem+json}.
 * Immutable.
 *
 * @param status the HTTP status
 * @param kind what went wrong, the last part of the {@code type} URI
 * @param title a short summary that depends on the kind only
 * @param detail what went wrong this time, for people; never internals
 * @param errors the fields at fault and what is wrong with each, possibly none
 */
record Problem(int status, String kind, String title, String detail, List<FieldError> errors) {
  static final String MEDIA_TYPE = "application/problem+json";
  private static final String TYPE_PREFIX = "urn:abilitystore:problem:";

  Problem {
    errors = List.copyOf(errors);
  }

  Problem(int status, String kind, String title, String detail) {
    this(status, kind, title, detail, List.of());
  }

  /** Returns the problem's {@code type} URI, such as {@code urn:abilitystore:problem:invalid-request}. */
  String type() {
    return TYPE_PREFIX + kind;
  }

  /** Returns the problem as JSON; {@code instance} is the path of the request it answers. */
  ObjectNode toJson(String instance) {
    ObjectNode json = ApiJson.object();
    json.put("type", type());
    json.put("title", title);
    json.put("status", status);
    json.put("detail", detail);
    json.put("instance", instance);
    ArrayNode fields = json.putArray("errors");
    for (FieldError error : errors) {
      fields.addObject().put("field", error.field()).put("message", error.message());
    }
    return json;
  }
}
