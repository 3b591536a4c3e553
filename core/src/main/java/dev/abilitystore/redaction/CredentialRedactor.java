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
 * <p>Six rules, applied to {@code metadata} at any depth, to {@code description} and (the text
 * rules) to {@code ability_name}:
 * <ol>
 *   <li><b>Header maps</b> — an object or a HAR/Postman-style list of {@code {"name" or "key",
 *       "value"}} objects under a key ending in {@code headers} or {@code header}
 *       ({@code static_headers}, {@code dynamic_headers}, {@code headers}, {@code request_headers},
 *       Postman's {@code header}, ...): the value of a credential header
 *       ({@link #CREDENTIAL_HEADERS}, or a name that {@link #isCredentialName} accepts, such as
 *       {@code X-Service-Token}; any case) or of any header whose value holds a token is replaced
 *       whole, and the header joins {@code dynamic_header_keys} as {@code <host>::<name>}
 *       ({@code host} from {@code metadata.request_url}), because the caller must now supply it at
 *       call time. {@code Set-Cookie} is a response header and adds no key.
 *   <li><b>Credential fields</b> — anywhere else in metadata, the value of a key that
 *       {@link #isCredentialName} accepts ({@code api_key}, {@code password}, {@code client_secret},
 *       {@code access_token}, {@code authorization}, {@code cookie}, {@code apiKey}, ...), or the
 *       {@code value} of a {@code {"name" or "key": <such a name>, "value": ...}} pair, is
 *       replaced whole: a string; each string of a list; in an object (a parameter's JSON schema,
 *       say), every string except those under keys that describe rather than hold it
 *       ({@code type}, {@code description}, {@code title}, {@code format}, {@code in},
 *       {@code name}, ...), so a schema's {@code default}, {@code example}, {@code examples},
 *       {@code enum} and {@code const} are replaced. Placeholders ({@code {api_key}},
 *       {@code <token>}, {@code $TOKEN}, {@code :token}), empty strings and JSON-schema type
 *       names ({@code "string"}) stay. Numbers and booleans stay.
 *   <li><b>Tokens</b> in any other string: {@code Bearer}/{@code Basic}/{@code Token} followed
 *       by a credential-looking word (16+ token characters with a digit), JWTs, and keys with
 *       well-known prefixes (Stripe {@code sk_live_}, GitHub {@code ghp_}, Slack {@code xoxb-},
 *       OpenAI {@code sk-}, Google {@code AIza}) are replaced in place.
 *   <li><b>Quoted assignments</b> in any other string (code, JSON or YAML quoted in text): the
 *       quoted value of {@code <credential name> = "..."} or {@code <credential name>: '...'} is
 *       replaced ({@code const apiKey = "..."}, {@code "password": "..."}).
 *   <li><b>Unquoted assignments and header lines</b> in any other string: the value of
 *       {@code <credential name>: value} or {@code <credential name>=value} (after an optional
 *       {@code Bearer}/{@code Basic}/{@code Token}/{@code Digest}), when it is 8 characters or
 *       more and holds a digit or is 20 or more long, as in {@code curl -H 'X-Api-Key: ...'} or
 *       {@code export API_TOKEN=...}; prose such as {@code Authorization: required} stays.
 *   <li><b>URL query parameters</b> that carry credentials ({@code api_key}, {@code access_token},
 *       {@code key}, ...) in URL-like strings keep their name and lose their value, unless the
 *       value is a placeholder such as {@code {api_key}}.
 * </ol>
 * What no rule can recognise stays: a bare credential without a telling key, header name, prefix
 * or shape (a random word in a description), and numbers. Redacting is idempotent: a redacted
 * ability comes back unchanged. Thread-safe.
 */
public final class CredentialRedactor {
  /** What a credential value is replaced by. */
  public static final String REDACTED = "[REDACTED]";

  /** Header names whose values are always credentials, lower case. */
  public static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
      "set-cookie", "x-api-key", "apikey", "api-key", "x-auth-token", "x-csrf-token");

  /**
   * Names (normalised: lower case, letters and digits only) whose values are credentials; see
   * {@link #isCredentialName}.
   */
  private static final Set<String> CREDENTIAL_NAMES = Set.of("authorization", "proxyauthorization", "cookie",
      "setcookie", "bearer", "credential", "credentials", "secrets", "pwd", "passwd", "passphrase");

  /** Endings of normalised names whose values are credentials: {@code github_token}, {@code db_password}, ... */
  private static final List<String> CREDENTIAL_NAME_ENDINGS = List.of("token", "password", "passwd", "passphrase",
      "secret", "apikey", "privatekey", "secretkey", "secretaccesskey");

  /** Keys inside a credential's object that describe it (its schema) and are kept. */
  private static final Set<String> DESCRIPTIVE_KEYS = Set.of("type", "description", "title", "format", "pattern",
      "in", "name", "required", "nullable", "deprecated", "$ref", "minlength", "maxlength", "readonly", "writeonly",
      "scheme", "bearerformat", "summary");

  /** JSON-schema type names: {@code "api_key": "string"} is a schema, not a key. */
  private static final Set<String> SCHEMA_TYPE_NAMES = Set.of("string", "number", "integer", "boolean", "object",
      "array", "null");

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

  /** {@code name = "value"}, {@code "name": 'value'}: group 1 the name, group 4 the quoted value. */
  private static final Pattern QUOTED_ASSIGNMENT = Pattern.compile(
      "(?<![A-Za-z0-9_$])([A-Za-z_$][A-Za-z0-9_$.-]*)([\"']?[ \\t]*[:=][ \\t]*)([\"'`])([^\"'`\\r\\n]{1,1000}?)\\3");

  /** {@code name: value}, {@code name=value}: group 1 the name, group 3 an optional scheme, group 4 the value. */
  private static final Pattern UNQUOTED_ASSIGNMENT = Pattern.compile(
      "(?<![A-Za-z0-9_$-])([A-Za-z_][A-Za-z0-9_-]*)([ \\t]*[:=][ \\t]*)((?i:bearer|basic|token|digest)[ \\t]+)?"
          + "([^\\s'\"`\\\\,;&<>(){}\\[\\]]{8,})");

  private static final Pattern QUERY_PARAMETER = Pattern.compile("([?&])([^=&#\\s]+)=([^&#\\s]*)");

  private CredentialRedactor() {}

  /** Returns the ability with every credential value replaced, and where they were. */
  public static Redaction redact(Ability ability) {
    Walk walk = new Walk(hostOf(ability.metadataText("request_url")));
    String name = walk.text("ability_name", ability.abilityName());
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
        .name(name)
        .description(description)
        .metadata(metadata)
        .dynamicHeaderKeys(List.copyOf(keys))
        .build();
    return new Redaction(redacted, walk.redacted);
  }

  /**
   * True when a key, header or parameter of this name holds a credential: after lower-casing and
   * dropping everything but letters and digits ({@code X-API-Key} → {@code xapikey},
   * {@code clientSecret} → {@code clientsecret}), it is {@code authorization},
   * {@code proxyauthorization}, {@code cookie}, {@code setcookie}, {@code bearer},
   * {@code credential(s)}, {@code secrets}, {@code pwd}, {@code passwd} or {@code passphrase}, or
   * it ends in {@code token}, {@code password}, {@code passwd}, {@code passphrase}, {@code secret},
   * {@code apikey}, {@code privatekey}, {@code secretkey} or {@code secretaccesskey}.
   * ({@code max_tokens}, {@code token_url} and {@code key} are not.)
   */
  public static boolean isCredentialName(String name) {
    StringBuilder normalised = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = Character.toLowerCase(name.charAt(i));
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        normalised.append(c);
      }
    }
    String key = normalised.toString();
    if (key.isEmpty()) {
      return false;
    }
    if (CREDENTIAL_NAMES.contains(key)) {
      return true;
    }
    for (String ending : CREDENTIAL_NAME_ENDINGS) {
      if (key.endsWith(ending)) {
        return true;
      }
    }
    return false;
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
          boolean credentialPair = pairName(map) instanceof String name && isCredentialName(name);
          Map<String, @Nullable Object> copy = new LinkedHashMap<>();
          for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = (String) entry.getKey();
            String child = path + "." + key;
            if (isHeaderContainer(key) && entry.getValue() instanceof Map<?, ?> headers) {
              copy.put(key, headerMap(child, headers));
            } else if (isHeaderContainer(key) && entry.getValue() instanceof List<?> headers) {
              copy.put(key, headerList(child, headers));
            } else if ((credentialPair && key.equals("value")) || isCredentialName(key)) {
              copy.put(key, credential(child, entry.getValue()));
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
        if (element instanceof Map<?, ?> pair && pairName(pair) instanceof String name && pair.containsKey("value")) {
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
      boolean credential = CREDENTIAL_HEADERS.contains(lowerName) || isCredentialName(lowerName)
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

    /**
     * Replaces a credential's value whole: a string, each string of a list, the strings of an
     * object except under {@link #DESCRIPTIVE_KEYS}.
     */
    private @Nullable Object credential(String path, @Nullable Object value) {
      return switch (value) {
        case String text -> {
          if (!isRedactable(text)) {
            yield text(path, text);
          }
          redacted.add(path);
          yield REDACTED;
        }
        case Map<?, ?> map -> {
          Map<String, @Nullable Object> copy = new LinkedHashMap<>();
          for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = (String) entry.getKey();
            String child = path + "." + key;
            copy.put(key, DESCRIPTIVE_KEYS.contains(key.toLowerCase(Locale.ROOT)) ? value(child, entry.getValue(), false)
                : credential(child, entry.getValue()));
          }
          yield copy;
        }
        case List<?> list -> {
          List<@Nullable Object> copy = new ArrayList<>(list.size());
          for (int i = 0; i < list.size(); i++) {
            copy.add(credential(path + "[" + i + "]", list.get(i)));
          }
          yield copy;
        }
        case null, default -> value;
      };
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
      if (result.indexOf(':') >= 0 || result.indexOf('=') >= 0) {
        result = redactAssignments(result);
      }
      if (result.contains("?") && (result.contains("://") || result.startsWith("/"))) {
        result = redactQuery(result);
      }
      if (!result.equals(text)) {
        redacted.add(path);
      }
      return result;
    }

    private static String redactAssignments(String text) {
      Matcher quoted = QUOTED_ASSIGNMENT.matcher(text);
      StringBuilder replaced = new StringBuilder();
      while (quoted.find()) {
        String value = quoted.group(4);
        boolean credential = isCredentialName(lastSegment(quoted.group(1))) && isRedactable(value);
        quoted.appendReplacement(replaced, Matcher.quoteReplacement(credential ? quoted.group(1) + quoted.group(2)
            + quoted.group(3) + REDACTED + quoted.group(3) : quoted.group()));
      }
      quoted.appendTail(replaced);
      Matcher unquoted = UNQUOTED_ASSIGNMENT.matcher(replaced.toString());
      StringBuilder result = new StringBuilder();
      while (unquoted.find()) {
        String value = unquoted.group(4);
        boolean credential = isCredentialName(unquoted.group(1)) && isRedactable(value)
            && (value.length() >= 20 || value.chars().anyMatch(Character::isDigit));
        String scheme = unquoted.group(3) == null ? "" : unquoted.group(3);
        unquoted.appendReplacement(result, Matcher.quoteReplacement(credential
            ? unquoted.group(1) + unquoted.group(2) + scheme + REDACTED : unquoted.group()));
      }
      unquoted.appendTail(result);
      return result.toString();
    }

    private static String lastSegment(String name) {
      return name.substring(name.lastIndexOf('.') + 1);
    }

    /** A string that may hold a credential: not empty, not redacted already, no placeholder or schema type name. */
    private static boolean isRedactable(String text) {
      String value = text.strip();
      return !value.isEmpty() && !value.contains(REDACTED) && !isPlaceholder(value)
          && !SCHEMA_TYPE_NAMES.contains(value.toLowerCase(Locale.ROOT));
    }

    /** The name of a {@code {"name" or "key": ..., "value": ...}} pair, or null. */
    private static @Nullable Object pairName(Map<?, ?> map) {
      if (!map.containsKey("value")) {
        return null;
      }
      Object name = map.get("name");
      return name != null ? name : map.get("key");
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
      return (lower.endsWith("headers") || lower.endsWith("header")) && !lower.equals("dynamic_header_keys");
    }
  }
}
