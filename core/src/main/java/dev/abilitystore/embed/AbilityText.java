package dev.abilitystore.embed;

import dev.abilitystore.Ability;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The text that stands for an ability when it is embedded, built in this one place so that
 * every embedder sees the same text:
 *
 * <pre>
 * {ability_name}
 * {display_name}
 * {service_name}
 * {description}
 * {request_method} {path of request_url}
 * Tags: {tag}, {tag}, ...
 * Parameters: {name}: {description}; {name}: {description}; ...
 * </pre>
 *
 * Lines whose source is missing are left out; the display name and tags come from the metadata
 * keys of those names (a catalogue's human title and categories), parameters from
 * {@code input_schema}'s {@code properties}. At most {@value #MAX_CHARS} characters: past that (about 1,000 tokens)
 * the local model stops reading anyway, and the beginning says the most.
 */
public final class AbilityText {
  /** Longest text handed to an embedder. */
  public static final int MAX_CHARS = 4000;

  private AbilityText() {}

  /** Returns the text that stands for {@code ability}. */
  public static String of(Ability ability) {
    StringBuilder text = new StringBuilder(512).append(ability.abilityName()).append('\n');
    String displayName = ability.metadataText("display_name");
    if (displayName != null && !displayName.isBlank() && !displayName.equals(ability.abilityName())) {
      text.append(displayName.strip()).append('\n');
    }
    text.append(ability.serviceName()).append('\n')
        .append(ability.description());
    String method = ability.metadataText("request_method");
    String path = path(ability.metadataText("request_url"));
    if (method != null || path != null) {
      text.append('\n').append(method == null ? "" : method).append(method != null && path != null ? " " : "")
          .append(path == null ? "" : path);
    }
    if (ability.metadata().get("tags") instanceof List<?> tags && !tags.isEmpty()) {
      text.append("\nTags: ");
      for (int i = 0; i < tags.size(); i++) {
        text.append(i == 0 ? "" : ", ").append(tags.get(i));
      }
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

  /**
   * The words an ability is found by beyond its name, service and description, one item a line:
   * display name, tags, request method, URL path and parameter names. What a keyword index
   * adds to those three fields; empty when the ability has none of them.
   */
  public static String keywords(Ability ability) {
    StringBuilder text = new StringBuilder(256);
    String displayName = ability.metadataText("display_name");
    line(text, displayName);
    if (ability.metadata().get("tags") instanceof List<?> tags) {
      tags.forEach(tag -> line(text, String.valueOf(tag)));
    }
    line(text, ability.metadataText("request_method"));
    line(text, path(ability.metadataText("request_url")));
    if (ability.metadata().get("input_schema") instanceof Map<?, ?> schema
        && schema.get("properties") instanceof Map<?, ?> properties) {
      properties.keySet().forEach(name -> line(text, String.valueOf(name)));
    }
    return text.length() <= MAX_CHARS ? text.toString() : text.substring(0, MAX_CHARS);
  }

  private static void line(StringBuilder text, @Nullable String item) {
    if (item != null && !item.isBlank()) {
      text.append(text.isEmpty() ? "" : "\n").append(item.strip());
    }
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
