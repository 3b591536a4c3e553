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
