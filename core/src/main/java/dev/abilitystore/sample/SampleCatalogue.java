package dev.abilitystore.sample;

import dev.abilitystore.Ability;
import dev.abilitystore.json.AbilityReader;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The sample catalogue: abilities of well-known public APIs (GitHub, Stripe, Slack, Spotify,
 * Twilio, Notion, OpenWeatherMap, Open-Meteo, PokeAPI, REST Countries, Hacker News), written for
 * this project, without embeddings. Thread-safe.
 */
public final class SampleCatalogue {
  /** Where the catalogue sits on the class path. */
  public static final String RESOURCE = "/dev/abilitystore/sample/sample-abilities.json";

  private SampleCatalogue() {}

  /** Returns a reader over the catalogue; the caller closes it. */
  public static AbilityReader open() {
    InputStream input = SampleCatalogue.class.getResourceAsStream(RESOURCE);
    if (input == null) {
      throw new IllegalStateException("the sample catalogue " + RESOURCE + " is missing from the class path");
    }
    return AbilityReader.of(input, "sample-abilities.json");
  }

  /** Returns every ability of the catalogue, in file order. */
  public static List<Ability> load() {
    List<Ability> abilities = new ArrayList<>();
    try (AbilityReader reader = open()) {
      reader.forEachRemaining(abilities::add);
    }
    return abilities;
  }
}
