package dev.abilitystore.testing;

import dev.abilitystore.Ability;
import dev.abilitystore.Embedding;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Abilities and deterministic embeddings for tests of every module. */
public final class Abilities {
  private Abilities() {}

  /** Returns a valid ability with every field set and a deterministic embedding of {@code dimension}. */
  public static Ability full(String abilityId, int dimension) {
    return Ability.builder(abilityId)
        .name("Get " + abilityId)
        .service("github")
        .description("Fetches " + abilityId + " — with ünïcödé, \"quotes\" and a\nnew line.")
        .embedding(vector(abilityId, dimension))
        .dynamicHeaderKeys(List.of("api.github.com::authorization"))
        .metadata(Map.of(
            "request_method", "GET",
            "request_url", "https://api.github.com/users/{username}",
            "input_schema", Map.of("type", "object", "properties",
                Map.of("username", Map.of("type", "string", "x-in", "path")), "required", List.of("username")),
            "dependency_order", List.of("github-search-users"),
            "rate", new java.math.BigDecimal("1.25"),
            "retries", 3,
            "enabled", true))
        .build();
  }

  /** Returns a minimal valid ability of {@code service}. */
  public static Ability simple(String abilityId, String service, boolean requiresAuth, int dimension) {
    Ability.Builder builder = Ability.builder(abilityId)
        .name("Ability " + abilityId)
        .service(service)
        .description("Does " + abilityId)
        .embedding(vector(abilityId, dimension));
    if (requiresAuth) {
      builder.dynamicHeaderKey(service + "::authorization");
    }
    return builder.build();
  }

  /**
   * Returns six abilities of four services, three public: the catalogue the store contracts query.
   * Per service (code-point order): "Open Meteo" 1 public; github 1 public, 1 private; pokeapi 1
   * public; stripe 2 private.
   */
  public static List<Ability> catalogue(int dimension) {
    return List.of(
        simple("github-get-user", "github", false, dimension),
        simple("github-create-issue", "github", true, dimension),
        simple("stripe-create-customer", "stripe", true, dimension),
        simple("stripe-list-prices", "stripe", true, dimension),
        simple("pokeapi-get-pokemon", "pokeapi", false, dimension),
        simple("open-meteo-forecast", "Open Meteo", false, dimension));
  }

  /** The per-service counts of {@link #catalogue}. */
  public static List<dev.abilitystore.ServiceCount> catalogueServiceCounts() {
    return List.of(
        new dev.abilitystore.ServiceCount("Open Meteo", 1, 1, 0),
        new dev.abilitystore.ServiceCount("github", 2, 1, 1),
        new dev.abilitystore.ServiceCount("pokeapi", 1, 1, 0),
        new dev.abilitystore.ServiceCount("stripe", 2, 0, 2));
  }

  /** Returns a unit-length pseudo-random vector determined by {@code seed}. */
  public static Embedding vector(String seed, int dimension) {
    SplittableRandom random = new SplittableRandom(seed.hashCode());
    float[] values = new float[dimension];
    double norm = 0;
    for (int i = 0; i < dimension; i++) {
      values[i] = (float) random.nextGaussian();
      norm += values[i] * values[i];
    }
    for (int i = 0; i < dimension; i++) {
      values[i] /= (float) Math.sqrt(norm);
    }
    return Embedding.of(values);
  }
}
