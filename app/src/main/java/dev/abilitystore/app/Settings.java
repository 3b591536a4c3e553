package dev.abilitystore.app;

import dev.abilitystore.InvalidInputException;
import dev.abilitystore.embeddings.EmbedderConfig;
import dev.abilitystore.embeddings.GeminiEmbedder;
import dev.abilitystore.embeddings.OnnxEmbedder;
import dev.abilitystore.embeddings.OpenAiEmbedder;
import dev.abilitystore.postgres.DatabaseUrl;
import dev.abilitystore.postgres.PostgresConfig;
import dev.abilitystore.validation.Limits;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The application's configuration, read from the environment (and command-line flags, which
 * win) in this one place. Every value is checked on the way in; a bad one is an error that
 * names the variable, never silently clamped. {@link #toString()} hides credentials.
 *
 * @param postgres how to reach PostgreSQL, or null when {@code DATABASE_URL} is unset
 * @param embedder which embedder fills in missing embeddings and embeds queries: {@code local},
 *     {@code openai}, {@code gemini}, {@code hashing} or {@code none}
 * @param dimension the embedding dimension of the store
 * @param remoteEmbedder how to reach {@code openai} or {@code gemini}; null for the others
 * @param dataDir where local state lives: the Lucene index, the replication queue, tombstones
 * @param secondaryTimeout the longest a direct write to PostgreSQL may take before it is queued
 * @param queueMaxBytes the size limit of the replication queue, in bytes
 * @param syncOnStart whether a long-running store reconciles PostgreSQL with the index in the
 *     background after start-up (one-shot commands never do)
 * @param http how {@code serve} listens
 * @param vectorDb the Infraxa vector database that is the primary store instead of the Lucene
 *     index, or null when {@code VECTOR_DB_API} is unset
 */
public record Settings(@Nullable PostgresConfig postgres, String embedder, int dimension,
    @Nullable EmbedderConfig remoteEmbedder, Path dataDir, Duration secondaryTimeout, long queueMaxBytes,
    boolean syncOnStart, Http http, @Nullable VectorDb vectorDb) {
  public static final String DATABASE_URL = "DATABASE_URL";
  public static final String EMBEDDER = "ABILITYSTORE_EMBEDDER";
  public static final String DIMENSION = "ABILITYSTORE_DIMENSION";
  public static final String DATA_DIR = "ABILITYSTORE_DATA_DIR";
  public static final String PG_POOL_SIZE = "ABILITYSTORE_PG_POOL_SIZE";
  public static final String PG_STATEMENT_TIMEOUT = "ABILITYSTORE_PG_STATEMENT_TIMEOUT";
  public static final String PG_CONNECT_TIMEOUT = "ABILITYSTORE_PG_CONNECT_TIMEOUT";
  public static final String OPENAI_KEY = OpenAiEmbedder.KEY_VARIABLE;
  public static final String OPENAI_BASE_URL = "ABILITYSTORE_OPENAI_BASE_URL";
  public static final String OPENAI_MODEL = "ABILITYSTORE_OPENAI_MODEL";
  public static final String GEMINI_KEY = GeminiEmbedder.KEY_VARIABLE;
  public static final String GEMINI_BASE_URL = "ABILITYSTORE_GEMINI_BASE_URL";
  public static final String GEMINI_MODEL = "ABILITYSTORE_GEMINI_MODEL";
  public static final String SECONDARY_TIMEOUT = "ABILITYSTORE_SECONDARY_TIMEOUT";
  public static final String QUEUE_MAX_BYTES = "ABILITYSTORE_QUEUE_MAX_BYTES";
  public static final String SYNC_ON_START = "ABILITYSTORE_SYNC_ON_START";
  public static final String HOST = "ABILITYSTORE_HOST";
  public static final String PORT = "ABILITYSTORE_PORT";
  public static final String API_KEYS = "ABILITYSTORE_API_KEYS";
  public static final String OPEN_READS = "ABILITYSTORE_OPEN_READS";
  public static final String MAX_BODY_BYTES = "ABILITYSTORE_MAX_BODY_BYTES";
  public static final String URL = "ABILITYSTORE_URL";
  public static final String API_KEY = "ABILITYSTORE_API_KEY";
  /** The original system's variable: the Infraxa API's base URL, which makes Infraxa the primary store. */
  public static final String VECTOR_DB_API = "VECTOR_DB_API";
  /** The original system's variable: the Infraxa workspace. */
  public static final String VECTOR_DB_TENANT = "VECTOR_DB_TENANT";

  public static final String DEFAULT_EMBEDDER = "local";
  /** The original system's workspace. */
  public static final String DEFAULT_VECTOR_DB_TENANT = "reverse_engineer";
  /** The dimension of the hashing embedder when none is set. */
  public static final int DEFAULT_DIMENSION = 384;
  public static final Path DEFAULT_DATA_DIR = Path.of("data");
  public static final Duration DEFAULT_SECONDARY_TIMEOUT = Duration.ofSeconds(5);
  public static final long DEFAULT_QUEUE_MAX_BYTES = 1L << 30;
  /** The smallest replication queue accepted: room for a batch of large-dimension abilities. */
  public static final long MIN_QUEUE_MAX_BYTES = 1L << 20;
  public static final boolean DEFAULT_SYNC_ON_START = true;
  /** Loopback only: another interface is a decision ({@code ABILITYSTORE_HOST=0.0.0.0}). */
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  /** 1,000 abilities of 3,072 dimensions fit, with room for their metadata. */
  public static final long DEFAULT_MAX_BODY_BYTES = 64L << 20;
  /** The smallest request-body limit accepted: room for one ability of the largest dimension. */
  public static final long MIN_MAX_BODY_BYTES = 64L << 10;

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");
  private static final Pattern BYTE_SIZE = Pattern.compile("(\\d{1,15})\\s*([kmgt]i?b?|b)?");
  /** A host name, an IPv4 address or an IPv6 address (bare or in brackets). */
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
  private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._-]{1,253}|\\[?[0-9A-Fa-f:.]{2,45}(%\\w+)?]?");

  /** Returns the settings of this process's environment. */
  public static Settings fromEnvironment() {
    return from(System.getenv());
  }

  /**
   * Returns the settings that {@code environment} describes.
   *
   * @throws InvalidInputException naming the variable whose value is wrong
   */
  public static Settings from(Map<String, String> environment) {
    String embedder = value(environment, EMBEDDER, DEFAULT_EMBEDDER).toLowerCase(Locale.ROOT);
    String dimensionText = environment.get(DIMENSION);
    Integer dimension = dimensionText == null || dimensionText.isBlank() ? null
        : integer(DIMENSION, dimensionText, 1, Limits.MAX_DIMENSION);
    EmbedderConfig remote = null;
    int effectiveDimension = switch (embedder) {
      case "local" -> {
        if (dimension != null && dimension != OnnxEmbedder.DIMENSION) {
          throw new InvalidInputException(DIMENSION + "=" + dimension + " does not fit " + EMBEDDER + "=local, whose "
              + "model makes " + OnnxEmbedder.DIMENSION + "-dimension vectors: unset " + DIMENSION
              + " or choose another embedder");
        }
        yield OnnxEmbedder.DIMENSION;
      }
      case "openai" -> {
        String baseUrl = value(environment, OPENAI_BASE_URL, OpenAiEmbedder.DEFAULT_BASE_URL);
        String key = environment.get(OPENAI_KEY);
        if ((key == null || key.isBlank()) && baseUrl.equals(OpenAiEmbedder.DEFAULT_BASE_URL)) {
          throw new InvalidInputException(EMBEDDER + "=openai needs " + OPENAI_KEY + " (or " + OPENAI_BASE_URL
              + " for a server that takes no key)");
        }
        String model = value(environment, OPENAI_MODEL, OpenAiEmbedder.DEFAULT_MODEL);
        int size = dimension != null ? dimension : model.equals(OpenAiEmbedder.DEFAULT_MODEL)
            ? OpenAiEmbedder.DEFAULT_DIMENSION : 1536;
        remote = EmbedderConfig.of(baseUrl, key == null || key.isBlank() ? null : key.strip(), model, size,
            dimension != null);
        yield size;
      }
      case "gemini" -> {
        String key = environment.get(GEMINI_KEY);
        if (key == null || key.isBlank()) {
          throw new InvalidInputException(EMBEDDER + "=gemini needs " + GEMINI_KEY);
        }
        int size = dimension != null ? dimension : GeminiEmbedder.DEFAULT_DIMENSION;
        remote = EmbedderConfig.of(value(environment, GEMINI_BASE_URL, GeminiEmbedder.DEFAULT_BASE_URL), key.strip(),
            value(environment, GEMINI_MODEL, GeminiEmbedder.DEFAULT_MODEL), size, true);
        yield size;
      }
      case "hashing" -> dimension != null ? dimension : DEFAULT_DIMENSION;
      case "none" -> {
        if (dimension == null) {
          throw new InvalidInputException(DIMENSION + " is required with " + EMBEDDER + "=none: say how many "
              + "dimensions the vectors you bring have");
        }
        yield dimension;
      }
      default -> throw new InvalidInputException(EMBEDDER + " must be local, openai, gemini, hashing or none, was '"
          + (embedder.length() > 40 ? embedder.substring(0, 40) + "..." : embedder) + "'");
    };
    Path dataDir = Path.of(value(environment, DATA_DIR, DEFAULT_DATA_DIR.toString()));
    String secondaryTimeout = environment.get(SECONDARY_TIMEOUT);
    String queueMaxBytes = environment.get(QUEUE_MAX_BYTES);
    String syncOnStart = environment.get(SYNC_ON_START);
    return new Settings(postgres(environment), embedder, effectiveDimension, remote, dataDir,
        secondaryTimeout == null || secondaryTimeout.isBlank() ? DEFAULT_SECONDARY_TIMEOUT
            : duration(SECONDARY_TIMEOUT, secondaryTimeout),
        queueMaxBytes == null || queueMaxBytes.isBlank() ? DEFAULT_QUEUE_MAX_BYTES
            : byteSize(QUEUE_MAX_BYTES, queueMaxBytes, MIN_QUEUE_MAX_BYTES),
        syncOnStart == null || syncOnStart.isBlank() ? DEFAULT_SYNC_ON_START : bool(SYNC_ON_START, syncOnStart),
        http(environment), vectorDb(environment));
  }

  /** Returns these settings with {@link #syncOnStart()} set as given; one-shot commands pass false. */
  public Settings withSyncOnStart(boolean sync) {
    return new Settings(postgres, embedder, dimension, remoteEmbedder, dataDir, secondaryTimeout, queueMaxBytes, sync,
        http, vectorDb);
  }

  /**
   * The Infraxa vector database that is the primary store when {@code VECTOR_DB_API} is set.
   *
   * @param api the API's base URL, without a trailing slash
   * @param tenant the workspace: {@value Settings#DEFAULT_VECTOR_DB_TENANT} unless {@code VECTOR_DB_TENANT} says
   *     otherwise
   */
  public record VectorDb(URI api, String tenant) {}

  /**
   * How {@code serve} listens.
   *
   * @param host the interface to bind: {@value Settings#DEFAULT_HOST} unless set
   * @param port the TCP port; 0 picks a free one
   * @param apiKeys the keys a {@code /v1} call must bring as {@code Authorization: Bearer}; none
   *     means no authentication
   * @param openReads whether reads ({@code GET} and search) need no key even when keys are set
   * @param maxBodyBytes the largest request body accepted, in bytes
   */
  public record Http(String host, int port, List<String> apiKeys, boolean openReads, long maxBodyBytes) {
    public Http {
      apiKeys = List.copyOf(apiKeys);
    }

    /** Shows how many keys there are, never the keys. */
    @Override
    public String toString() {
      return "Http[host=" + host + ", port=" + port + ", apiKeys=" + (apiKeys.isEmpty() ? "none" : apiKeys.size()
          + " (masked)") + ", openReads=" + openReads + ", maxBodyBytes=" + maxBodyBytes + "]";
    }
  }

  /**
   * A running server that the command line talks to instead of opening the stores.
   *
   * @param url its base URL, such as {@code http://127.0.0.1:8080}, without a trailing slash
   * @param apiKey sent as {@code Authorization: Bearer}, or null
   */
  public record Remote(URI url, @Nullable String apiKey) {
    /** Shows whether a key is set, never the key. */
    @Override
    public String toString() {
      return "Remote[url=" + url + ", apiKey=" + (apiKey == null ? "none" : "(masked)") + "]";
    }
  }

  /**
   * Returns the server that {@code ABILITYSTORE_URL} names, or null when it is unset; read apart
   * from {@link #from}, since a client needs none of the store's settings.
   *
   * @throws InvalidInputException if the URL or the key is malformed
   */
  public static @Nullable Remote remote(Map<String, String> environment) {
    String url = environment.get(URL);
    if (url == null || url.isBlank()) {
      return null;
    }
    String key = environment.get(API_KEY);
    if (key != null && !key.isBlank() && !isToken(key.strip())) {
      throw new InvalidInputException(API_KEY + " must be one key without white space or control characters");
    }
    return new Remote(httpUrl(URL, url, "http://127.0.0.1:8080"), key == null || key.isBlank() ? null : key.strip());
  }

  private static @Nullable VectorDb vectorDb(Map<String, String> environment) {
    String api = environment.get(VECTOR_DB_API);
    if (api == null || api.isBlank()) {
      return null;
    }
    String tenant = value(environment, VECTOR_DB_TENANT, DEFAULT_VECTOR_DB_TENANT);
    if (!TENANT.matcher(tenant).matches()) {
      throw new InvalidInputException(VECTOR_DB_TENANT + " must be 1 to 128 letters, digits, '_', '.' or '-', was '"
          + bounded(tenant) + "'");
    }
    return new VectorDb(httpUrl(VECTOR_DB_API, api, "https://infraxa.example.com"), tenant);
  }

  private static Http http(Map<String, String> environment) {
    String host = value(environment, HOST, DEFAULT_HOST);
    if (!HOST_NAME.matcher(host).matches()) {
      throw new InvalidInputException(HOST + " must be a host name or an IP address such as 127.0.0.1 or 0.0.0.0, "
          + "was '" + bounded(host) + "'");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String port = environment.get(PORT);
    String openReads = environment.get(OPEN_READS);
    String maxBodyBytes = environment.get(MAX_BODY_BYTES);
    return new Http(host, port == null || port.isBlank() ? DEFAULT_PORT : integer(PORT, port, 0, 65_535),
        apiKeys(environment.get(API_KEYS)),
        openReads != null && !openReads.isBlank() && bool(OPEN_READS, openReads),
        maxBodyBytes == null || maxBodyBytes.isBlank() ? DEFAULT_MAX_BODY_BYTES
            : byteSize(MAX_BODY_BYTES, maxBodyBytes, MIN_MAX_BODY_BYTES));
  }

  /** Reads comma-separated keys; messages count the keys and never show one. */
  private static List<String> apiKeys(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    String[] parts = text.split(",", -1);
    for (int i = 0; i < parts.length; i++) {
      String key = parts[i].strip();
      if (key.isEmpty()) {
        continue;
      }
      if (!isToken(key)) {
        throw new InvalidInputException(API_KEYS + ": key " + (i + 1) + " of " + parts.length + " contains white "
            + "space or control characters; separate keys with commas");
      }
      keys.add(key);
    }
    if (keys.isEmpty()) {
      throw new InvalidInputException(API_KEYS + " must list at least one key, separated by commas");
    }
    return List.copyOf(keys);
  }

  private static boolean isToken(String key) {
    return key.chars().allMatch(c -> c > ' ' && c < 0x7f);
  }

  private static URI httpUrl(String name, String text, String example) {
    String trimmed = text.strip();
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    try {
      URI uri = new URI(trimmed);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getRawQuery() == null
          && uri.getRawFragment() == null && uri.getRawUserInfo() == null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new InvalidInputException(name + " must be an http:// or https:// URL such as " + example + ", was '"
        + bounded(text) + "'");
  }

  private static @Nullable PostgresConfig postgres(Map<String, String> environment) {
    String url = environment.get(DATABASE_URL);
    if (url == null || url.isBlank()) {
      return null;
    }
    PostgresConfig.Builder builder;
    try {
      builder = DatabaseUrl.parse(url);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(e.getMessage(), e);
    }
    String poolSize = environment.get(PG_POOL_SIZE);
    if (poolSize != null && !poolSize.isBlank()) {
      builder.maximumPoolSize(integer(PG_POOL_SIZE, poolSize, 1, 1000));
    }
    String statementTimeout = environment.get(PG_STATEMENT_TIMEOUT);
    if (statementTimeout != null && !statementTimeout.isBlank()) {
      builder.statementTimeout(duration(PG_STATEMENT_TIMEOUT, statementTimeout));
    }
    String connectTimeout = environment.get(PG_CONNECT_TIMEOUT);
    if (connectTimeout != null && !connectTimeout.isBlank()) {
      builder.connectionTimeout(duration(PG_CONNECT_TIMEOUT, connectTimeout));
    }
    return builder.build();
  }

  /** Returns PostgreSQL's configuration, or explains how to turn it on. */
  public PostgresConfig requirePostgres(String command) {
    if (postgres == null) {
      throw new InvalidInputException("'" + command + "' needs PostgreSQL: set " + DATABASE_URL
          + ", e.g. DATABASE_URL=postgresql://postgres@127.0.0.1:5432/abilitystore");
    }
    return postgres;
  }

  private static String value(Map<String, String> environment, String name, String fallback) {
    String value = environment.get(name);
    return value == null || value.isBlank() ? fallback : value.strip();
  }

  static int integer(String name, String text, int min, int max) {
    try {
      int value = Integer.parseInt(text.strip());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidInputException(name + " must be a whole number from " + min + " to " + max + ", was '"
        + bounded(text) + "'");
  }

  /** Reads {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h} or ISO-8601 {@code PT30S}. */
  static Duration duration(String name, String text) {
    String trimmed = text.strip().toLowerCase(Locale.ROOT);
    Matcher matcher = DURATION.matcher(trimmed);
    Duration duration = null;
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      duration = switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      };
    } else {
      try {
        duration = Duration.parse(text.strip());
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new InvalidInputException(name + " must be a positive duration such as 500ms, 30s or 2m, was '"
          + bounded(text) + "'");
    }
    return duration;
  }

  /**
   * Reads a size in bytes: a plain number, or one with a binary suffix ({@code 512KiB},
   * {@code 512MiB}, {@code 1GiB}, {@code 1TiB}; {@code K}, {@code KB}, {@code M}, {@code MB}, ... mean
   * the same, as most tools read them), any case.
   */
  static long byteSize(String name, String text, long min) {
    Matcher matcher = BYTE_SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      String suffix = matcher.group(2) == null ? "b" : matcher.group(2);
      int shift = switch (suffix.charAt(0)) {
        case 'k' -> 10;
        case 'm' -> 20;
        case 'g' -> 30;
        case 't' -> 40;
        default -> 0;
      };
      boolean fits = amount <= Long.MAX_VALUE >> shift;
      if (fits && amount << shift >= min) {
        return amount << shift;
      }
    }
    throw new InvalidInputException(name + " must be a size of at least " + sizeText(min) + ", in bytes or with a "
        + "suffix such as 512MiB or 1GiB, was '" + bounded(text) + "'");
  }

  private static String sizeText(long bytes) {
    if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
      return (bytes >> 20) + "MiB";
    }
    return bytes % 1024 == 0 ? (bytes >> 10) + "KiB" : bytes + " bytes";
  }

  /** Reads {@code true} or {@code false}, any case. */
  static boolean bool(String name, String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new InvalidInputException(name + " must be true or false, was '" + bounded(text) + "'");
    };
  }

  private static String bounded(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "..." : text;
  }
}
