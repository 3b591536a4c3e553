package dev.abilitystore.server;

import dev.abilitystore.InvalidInputException;
import java.util.List;

/**
 * How {@link ApiServer} listens and whom it lets in. Immutable and thread-safe; {@link #toString()}
 * never shows the keys.
 *
 * @param host the address to bind, such as {@code 127.0.0.1} (this machine only) or {@code 0.0.0.0}
 * @param port the TCP port, 0 for any free one
 * @param apiKeys the keys a caller of {@code /v1} must present as {@code Authorization: Bearer <key>};
 *     empty for no authentication
 * @param openReads with keys configured, let {@code GET /v1/**} and {@code POST /v1/search} in without one
 * @param maxBodyBytes the largest request body accepted; larger ones are answered 413
 */
public record ServerConfig(String host, int port, List<String> apiKeys, boolean openReads, long maxBodyBytes) {
  /** Binds this machine's loopback interface only. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** The port of the original system's server. */
  public static final int DEFAULT_PORT = 8080;
  /** 64 MiB: a batch of 1,000 abilities with 3072-dimension embeddings fits. */
  public static final long DEFAULT_MAX_BODY_BYTES = 64L << 20;

  /**
   * Checks every setting.
   *
   * @throws InvalidInputException naming the setting that is out of range
   */
  public ServerConfig {
    if (host.isBlank()) {
      throw new InvalidInputException("server host must not be blank");
    }
    if (port < 0 || port > 65_535) {
      throw new InvalidInputException("server port must be between 0 and 65535, was " + port);
    }
    apiKeys = List.copyOf(apiKeys);
    for (int i = 0; i < apiKeys.size(); i++) {
      if (!isUsableKey(apiKeys.get(i))) {
        throw new InvalidInputException("API key " + (i + 1) + " of " + apiKeys.size() + " must be non-empty "
            + "printable ASCII without spaces (it travels in an HTTP header)");
      }
    }
    if (maxBodyBytes < 1) {
      throw new InvalidInputException("maximum request body size must be positive, was " + maxBodyBytes);
    }
  }

  /** Returns 127.0.0.1:8080, no authentication, bodies up to 64 MiB. */
  public static ServerConfig defaults() {
    return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, List.of(), false, DEFAULT_MAX_BODY_BYTES);
  }

  /** Returns this configuration bound to {@code host}. */
  public ServerConfig withHost(String host) {
    return new ServerConfig(host, port, apiKeys, openReads, maxBodyBytes);
  }

  /** Returns this configuration on {@code port} (0 for any free port). */
  public ServerConfig withPort(int port) {
    return new ServerConfig(host, port, apiKeys, openReads, maxBodyBytes);
  }

  /** Returns this configuration requiring one of {@code apiKeys} (none: no authentication). */
  public ServerConfig withApiKeys(List<String> apiKeys) {
    return new ServerConfig(host, port, apiKeys, openReads, maxBodyBytes);
  }

  /** Returns this configuration with reads open to callers without a key, or not. */
  public ServerConfig withOpenReads(boolean openReads) {
    return new ServerConfig(host, port, apiKeys, openReads, maxBodyBytes);
  }

  /** Returns this configuration accepting request bodies of up to {@code maxBodyBytes}. */
  public ServerConfig withMaxBodyBytes(long maxBodyBytes) {
    return new ServerConfig(host, port, apiKeys, openReads, maxBodyBytes);
  }

  /** True when callers of {@code /v1} must present a key. */
  public boolean authenticationEnabled() {
    return !apiKeys.isEmpty();
  }

  /** Shows every setting but the keys, of which only the number. */
  @Override
  public String toString() {
    return "ServerConfig[host=" + host + ", port=" + port + ", apiKeys=" + apiKeys.size() + " configured"
        + ", openReads=" + openReads + ", maxBodyBytes=" + maxBodyBytes + "]";
  }

  private static boolean isUsableKey(String key) {
    return !key.isEmpty() && key.chars().allMatch(c -> c > 0x20 && c < 0x7f);
  }
}
