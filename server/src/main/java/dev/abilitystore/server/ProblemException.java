package dev.abilitystore.server;

import dev.abilitystore.FieldError;
import java.util.List;

/**
 * A request the API refuses, with the problem to answer. Thrown by the code that reads
 * requests and turned into a response by {@link ProblemResponses}; it carries no stack trace,
 * since it is an answer, not a failure.
 */
final class ProblemException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Problem problem;

  ProblemException(Problem problem) {
    super(problem.detail(), null, false, false);
    this.problem = problem;
  }

  Problem problem() {
    return problem;
  }

  /** A 400 about the request's parameters or body, naming each field at fault. */
  static ProblemException invalidRequest(String detail, List<FieldError> errors) {
    return new ProblemException(new Problem(400, "invalid-request", "Invalid request", detail, errors));
  }

  /** A 400 about one field. */
  static ProblemException invalidField(String field, String message) {
    return invalidRequest(field + " " + message, List.of(new FieldError(field, message)));
  }

  /** A 400 for a body that is not JSON, or not the JSON expected. */
  static ProblemException malformedJson(String detail) {
    return new ProblemException(new Problem(400, "malformed-json", "Malformed JSON", detail));
  }

  /** A 413 for a body larger than the server accepts. */
  static ProblemException bodyTooLarge(long maxBodyBytes) {
    return new ProblemException(new Problem(413, "body-too-large", "Request body too large",
        "the request body exceeds the limit of " + maxBodyBytes + " bytes"));
  }

  /** A 415 for a body that is not declared as JSON; {@code declared} says what it was declared as. */
  static ProblemException unsupportedMediaType(String declared) {
    return new ProblemException(new Problem(415, "unsupported-media-type", "Unsupported media type",
        "the request body must be declared as Content-Type: application/json, was " + ApiJson.bounded(declared)));
  }

  /** A 404 for something that does not exist. */
  static ProblemException notFound(String detail) {
    return new ProblemException(new Problem(404, "not-found", "Not found", detail));
  }
}
