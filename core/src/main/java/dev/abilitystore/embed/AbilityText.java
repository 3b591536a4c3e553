package dev.abilitystore.embed;

import dev.abilitystore.Ability;
import java.net.URI;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The text that stands for an ability when it is embedded, built in this one place so that
 * every embedder sees the same text:
 *
 * <pre>
 * {ability_name}
 * {service_name}
 * {description}
 * {request_method} {path of request_url}
 * Parameters: {name}: {description}; {name}: {description}; ...
 * </pre>
 *
 * Lines whose source is missing are left out; parameters come from {@code input_schema}'s
 * {@code properties}. At most {@value #MAX_CHARS} characters: past that (about 1,000 tokens)
 * the local model stops reading anyway, and the beginning says the most.
 */
public final class AbilityText {
  /** Longest text handed to an embedder. */
  public static final int MAX_CHARS = 4000;

  private AbilityText() {}

  /** Returns the text that stands for {@code ability}. */
  public static String of(Ability ability) {
    StringBuilder text = new StringBuilder(512)
        .append(ability.abilityName()).append('\n')
        .append(ability.serviceName()).append('\n')
        .append(ability.description());
    String method = ability.metadataText("request_method");
    String path = path(ability.metadataText("request_url"));
    if (method != null || path != null) {
      text.append('\n').append(method == null ? "" : method).append(method != null && path != null ? " " : "")
          .append(path == null ? "" : path);
    }
    if (ability.metadata().get("input_schema") instanceof Map<?, ?> schema
        && schema.get("properties") instanceof Map<?, ?> properties && !properties.isEmpty()) {
      text.append("\nParameters: ");
      boolean first = true;
      for (Map.Entry<?, ?> property : properties.entrySet()) {
        text.append(first ? "" : "; ").append(property.getKey());
        if (property.getValue() instanceof Map<?, ?> definition && definition.get("description") instanceof String
            description && !description.isBlank()) {
          text.append(": ").append(description.strip());
        }
        first = false;
        if (text.length() > MAX_CHARS) {
          break;
        }
      }
    }
    return text.length() <= MAX_CHARS ? text.toString() : text.substring(0, MAX_CHARS);
  }

  /** The path of a URL ({@code /users/{username}}), or the text itself when it is no URL. */
  private static @Nullable String path(@Nullable String url) {
    if (url == null || url.isBlank()) {
      return null;
    }
    try {
      String path = URI.create(url.replace("{", "%7B").replace("}", "%7D")).getRawPath();
      if (path != null && !path.isEmpty()) {
        return path.replace("%7B", "{").replace("%7D", "}");
      }
    } catch (IllegalArgumentException e) {
      // not a URL: fall through
    }
    return url;
  }
}
