package dev.abilitystore.redaction;

import dev.abilitystore.Ability;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Replaces credential values in an ability by {@value #REDACTED}, so that no store, log,
 * queue or export ever holds one.
 *
 * <p>Three rules, applied to {@code metadata} at any depth and to {@code description}:
 * <ol>
 *   <li><b>Header maps</b> — an object or a HAR-style list of {@code {"name", "value"}} objects
 *       under a key ending in {@code headers} ({@code static_headers}, {@code dynamic_headers},
 *       {@code headers}, {@code request_headers}, ...): the value of a credential header
 *       ({@link #CREDENTIAL_HEADERS}, case-insensitive) or of any header whose value holds a
 *       token is replaced whole, and the header joins {@code dynamic_header_keys} as
 *       {@code <host>::<name>} ({@code host} from {@code metadata.request_url}), because the
 *       caller must now supply it at call time. {@code Set-Cookie} is a response header and
 *       adds no key.
 *   <li><b>Tokens</b> in any other string: {@code Bearer}/{@code Basic}/{@code Token} followed
 *       by a credential-looking word (16+ token characters with a digit), JWTs, and keys with
 *       well-known prefixes (Stripe {@code sk_live_}, GitHub {@code ghp_}, Slack {@code xoxb-},
 *       OpenAI {@code sk-}, Google {@code AIza}) are replaced in place.
 *   <li><b>URL query parameters</b> that carry credentials ({@code api_key}, {@code access_token},
 *       {@code key}, ...) in URL-like strings keep their name and lose their value, unless the
 *       value is a placeholder such as {@code {api_key}}.
 * </ol>
 * Redacting is idempotent: a redacted ability comes back unchanged. Thread-safe.
 */
public final class CredentialRedactor {
  /** What a credential value is replaced by. */
  public static final String REDACTED = "[REDACTED]";

  /** Header names whose values are always credentials, lower case. */
  public static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
      "set-cookie", "x-api-key", "apikey", "api-key", "x-auth-token", "x-csrf-token");

  private static final Set<String> CREDENTIAL_QUERY_PARAMETERS = Set.of("api_key", "apikey", "api-key",
      "access_token", "auth_token", "client_secret", "password", "token", "key", "secret");

  private static final Pattern TOKEN = Pattern.compile(String.join("|",
      "(?<scheme>\\b(?i:bearer|basic|token)\\s+)(?<credential>(?=[A-Za-z0-9\\-._~+/]*\\d)[A-Za-z0-9\\-._~+/]{16,}=*)",
      "\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*",
      "\\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,}",
      "\\bgh[pousr]_[A-Za-z0-9]{30,}",
      "\\bgithub_pat_[A-Za-z0-9_]{20,}",
      "\\bxox[abposr]-[A-Za-z0-9-]{10,}",
      "\\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}",
      "\\bAIza[0-9A-Za-z_-]{35}"));

  private static final Pattern QUERY_PARAMETER = Pattern.compile("([?&])([^=&#\\s]+)=([^&#\\s]*)");

  private CredentialRedactor() {}

  /** Returns the ability with every credential value replaced, and where they were. */
  public static Redaction redact(Ability ability) {
    Walk walk = new Walk(hostOf(ability.metadataText("request_url")));
    String description = walk.text("description", ability.description());
    @SuppressWarnings("unchecked")
    Map<String, @Nullable Object> metadata = (Map<String, @Nullable Object>) walk.value("metadata",
        ability.metadata(), false);
    if (walk.redacted.isEmpty()) {
      return new Redaction(ability, List.of());
    }
    Set<String> keys = new LinkedHashSet<>(ability.dynamicHeaderKeys());
    keys.addAll(walk.headerKeys);
    Ability redacted = ability.toBuilder()
        .description(description)
        .metadata(metadata)
        .dynamicHeaderKeys(List.copyOf(keys))
        .build();
    return new Redaction(redacted, walk.redacted);
  }

  /** True when the text holds something shaped like a credential token. */
  public static boolean containsToken(String text) {
    return TOKEN.matcher(text).find();
  }

  private static @Nullable String hostOf(@Nullable String url) {
    if (url == null) {
      return null;
    }
    try {
      String host = URI.create(url.replace("{", "%7B").replace("}", "%7D")).getHost();
      return host == null ? null : host.toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** One pass over an ability; collects what it replaced. */
  private static final class Walk {
    private final @Nullable String host;
    private final List<String> redacted = new ArrayList<>();
    private final Set<String> headerKeys = new LinkedHashSet<>();

    Walk(@Nullable String host) {
      this.host = host;
    }

    @Nullable Object value(String path, @Nullable Object value, boolean headerContext) {
      return switch (value) {
        case String text -> text(path, text);
        case Map<?, ?> map -> {
          Map<String, @Nullable Object> copy = new LinkedHashMap<>();
          for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = (String) entry.getKey();
            String child = path + "." + key;
            if (isHeaderContainer(key) && entry.getValue() instanceof Map<?, ?> headers) {
              copy.put(key, headerMap(child, headers));
            } else if (isHeaderContainer(key) && entry.getValue() instanceof List<?> headers) {
              copy.put(key, headerList(child, headers));
            } else {
              copy.put(key, value(child, entry.getValue(), headerContext));
            }
          }
          yield copy;
        }
        case List<?> list -> {
          List<@Nullable Object> copy = new ArrayList<>(list.size());
          for (int i = 0; i < list.size(); i++) {
            copy.add(value(path + "[" + i + "]", list.get(i), headerContext));
          }
          yield copy;
        }
        case null, default -> value;
      };
    }

    private Map<String, @Nullable Object> headerMap(String path, Map<?, ?> headers) {
      Map<String, @Nullable Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : headers.entrySet()) {
        String name = (String) entry.getKey();
        copy.put(name, header(path + "." + name, name, entry.getValue()));
      }
      return copy;
    }

    private List<@Nullable Object> headerList(String path, List<?> headers) {
      List<@Nullable Object> copy = new ArrayList<>(headers.size());
      for (int i = 0; i < headers.size(); i++) {
        Object element = headers.get(i);
        String child = path + "[" + i + "]";
        if (element instanceof Map<?, ?> pair && pair.get("name") instanceof String name && pair.containsKey("value")) {
          Map<String, @Nullable Object> entry = new LinkedHashMap<>();
          for (Map.Entry<?, ?> field : pair.entrySet()) {
            String key = (String) field.getKey();
            entry.put(key, key.equals("value") ? header(child + ".value", name, field.getValue())
                : value(child + "." + key, field.getValue(), true));
          }
          copy.add(entry);
        } else {
          copy.add(value(child, element, true));
        }
      }
      return copy;
    }

    private @Nullable Object header(String path, String name, @Nullable Object value) {
      String headerName = name.contains("::") ? name.substring(name.lastIndexOf("::") + 2) : name;
      String lowerName = headerName.toLowerCase(Locale.ROOT).strip();
      boolean credential = CREDENTIAL_HEADERS.contains(lowerName)
          || (value instanceof String text && containsToken(text));
      if (!credential || value == null || REDACTED.equals(value)) {
        return value instanceof String || value == null ? value : value(path, value, true);
      }
      redacted.add(path);
      if (!lowerName.equals("set-cookie")) {
        String hostPart = name.contains("::") ? name.substring(0, name.lastIndexOf("::")) : host;
        headerKeys.add(hostPart == null || hostPart.isEmpty() ? lowerName
            : hostPart.toLowerCase(Locale.ROOT) + "::" + lowerName);
      }
      return REDACTED;
    }

    String text(String path, String text) {
      String result = text;
      Matcher tokens = TOKEN.matcher(result);
      if (tokens.find()) {
        StringBuilder replaced = new StringBuilder();
        do {
          String scheme = tokens.group("scheme");
          tokens.appendReplacement(replaced, Matcher.quoteReplacement((scheme == null ? "" : scheme) + REDACTED));
        } while (tokens.find());
        tokens.appendTail(replaced);
        result = replaced.toString();
      }
      if (result.contains("?") && (result.contains("://") || result.startsWith("/"))) {
        result = redactQuery(result);
      }
      if (!result.equals(text)) {
        redacted.add(path);
      }
      return result;
    }

    private static String redactQuery(String url) {
      Matcher parameters = QUERY_PARAMETER.matcher(url);
      StringBuilder replaced = new StringBuilder();
      while (parameters.find()) {
        String name = parameters.group(2);
        String value = parameters.group(3);
        boolean credential = CREDENTIAL_QUERY_PARAMETERS.contains(name.toLowerCase(Locale.ROOT))
            && !value.isEmpty() && !isPlaceholder(value) && !value.equals(REDACTED);
        parameters.appendReplacement(replaced, Matcher.quoteReplacement(parameters.group(1) + name + "="
            + (credential ? REDACTED : value)));
      }
      parameters.appendTail(replaced);
      return replaced.toString();
    }

    private static boolean isPlaceholder(String value) {
      return (value.startsWith("{") && value.endsWith("}")) || (value.startsWith("<") && value.endsWith(">"))
          || (value.startsWith("%7B") && value.endsWith("%7D")) || value.startsWith("$") || value.startsWith(":");
    }

    private static boolean isHeaderContainer(String key) {
      String lower = key.toLowerCase(Locale.ROOT);
      return lower.endsWith("headers") && !lower.equals("dynamic_header_keys");
    }
  }
}
