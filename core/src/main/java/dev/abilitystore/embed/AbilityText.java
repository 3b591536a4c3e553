package dev.abilitystore.embed;

import dev.abilitystore.Ability;

/**
 * The text that stands for an ability when it is embedded: its name, service and description,
 * then the request method and URL. Built in this one place so that every embedder sees the same
 * text. At most {@value #MAX_CHARS} characters.
 */
public final class AbilityText {
  /** Longest text handed to an embedder. */
  public static final int MAX_CHARS = 4000;

  private AbilityText() {}

  /** Returns the text that stands for {@code ability}. */
  public static String of(Ability ability) {
    StringBuilder text = new StringBuilder(256)
        .append(ability.abilityName()).append('\n')
        .append(ability.serviceName()).append('\n')
        .append(ability.description());
    String method = ability.metadataText("request_method");
    String url = ability.metadataText("request_url");
    if (method != null || url != null) {
      text.append('\n').append(method == null ? "" : method + " ").append(url == null ? "" : url);
    }
    return text.length() <= MAX_CHARS ? text.toString() : text.substring(0, MAX_CHARS);
  }
}
