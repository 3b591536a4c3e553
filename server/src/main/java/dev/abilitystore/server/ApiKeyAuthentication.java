package dev.abilitystore.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Lets a call of {@code /v1} in when it presents one of the configured keys as
 * {@code Authorization: Bearer <key>}: none presented is 401, a wrong one 403. With open reads,
 * {@code GET}s and {@code POST /v1/search} need no key (a key presented is still checked).
 *
 * <p>Only SHA-256 digests of the keys are kept, and a presented key is compared with every one
 * of them by {@link MessageDigest#isEqual}: the time taken tells neither how much of a key
 * matched nor, since digests have one length, how long the keys are. Keys are never logged.
 * Immutable and thread-safe.
 */
final class ApiKeyAuthentication {
  static final String CHALLENGE = "Bearer realm=\"abilitystore\"";
  private static final String SCHEME = "bearer ";
  private static final String SEARCH_PATH = "/v1/search";

  private final List<byte[]> keyDigests;
  private final boolean openReads;

  ApiKeyAuthentication(List<String> apiKeys, boolean openReads) {
    this.keyDigests = apiKeys.stream().map(ApiKeyAuthentication::sha256).toList();
    this.openReads = openReads;
  }

  /**
   * Checks the request's key; a before-handler of {@code /v1/*}.
   *
   * @throws ProblemException 401 if a key is needed and none was presented, 403 if it is wrong
   */
  void check(Context ctx) {
    if (keyDigests.isEmpty()) {
      return;
    }
    String key = presentedKey(ctx.header("Authorization"));
    if (key == null) {
      if (openReads && isRead(ctx)) {
        return;
      }
      throw new ProblemException(new Problem(401, "unauthorized", "Unauthorized",
          "this endpoint needs an API key: send it as Authorization: Bearer <key>"));
    }
    if (!matches(key)) {
      throw new ProblemException(new Problem(403, "forbidden", "Forbidden", "the API key is not valid"));
    }
  }

  private boolean matches(String key) {
    byte[] digest = sha256(key);
    boolean matched = false;
    for (byte[] known : keyDigests) {
      matched |= MessageDigest.isEqual(known, digest);
    }
    return matched;
  }

  private static @Nullable String presentedKey(@Nullable String authorization) {
    if (authorization == null || authorization.length() <= SCHEME.length()
        || !authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
      return null;
    }
    String key = authorization.substring(SCHEME.length()).strip();
    return key.isEmpty() ? null : key;
  }

  private static boolean isRead(Context ctx) {
    HandlerType method = ctx.method();
    if (method.equals(HandlerType.GET) || method.equals(HandlerType.HEAD)) {
      return true;
    }
    String path = ctx.path().endsWith("/") ? ctx.path().substring(0, ctx.path().length() - 1) : ctx.path();
    return method.equals(HandlerType.POST) && path.equals(SEARCH_PATH);
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
