package dev.abilitystore;

import static java.util.Objects.requireNonNull;

import dev.abilitystore.identity.VectorIds;
import dev.abilitystore.internal.JsonValues;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An API endpoint an AI agent can call, as the catalogue keeps it.
 *
 * <p>Immutable and thread-safe: lists and metadata are deep, unmodifiable copies, numbers in
 * metadata are normalised (see {@link JsonValues}). The constructor checks only that required
 * parts are present; the rules of the catalogue (id syntax, sizes, embedding dimension) are
 * checked by {@link dev.abilitystore.validation.AbilityValidator} so that every broken rule can
 * be reported at once.
 *
 * <p>In JSON the fields carry the original system's snake_case names: {@code ability_id},
 * {@code ability_name}, {@code service_name}, {@code description}, {@code embedding},
 * {@code dynamic_header_keys}, {@code dynamic_headers_required}, {@code metadata},
 * {@code vector_id}, {@code created_at}, {@code updated_at}.
 *
 * @param abilityId stable, caller-chosen id such as {@code github-get-user}
 * @param abilityName display name
 * @param serviceName the namespace as people write it ({@code github}, {@code api.github.com})
 * @param description free text; the main input to the embedding
 * @param embedding the vector, or null until one is computed
 * @param dynamicHeaderKeys headers that need credentials at call time, such as
 *     {@code api.github.com::authorization}
 * @param metadata everything else: {@code request_method}, {@code request_url},
 *     {@code input_schema}, {@code static_headers}, {@code dependency_order}, ...
 * @param createdAt when the catalogue first stored it, or null before it is stored
 * @param updatedAt when the catalogue last changed it, or null before it is stored
 */
public record Ability(
    String abilityId,
    String abilityName,
    String serviceName,
    String description,
    @Nullable Embedding embedding,
    List<String> dynamicHeaderKeys,
    Map<String, @Nullable Object> metadata,
    @Nullable Instant createdAt,
    @Nullable Instant updatedAt) {

  public Ability {
    requireNonNull(abilityId, "abilityId");
    requireNonNull(abilityName, "abilityName");
    requireNonNull(serviceName, "serviceName");
    requireNonNull(description, "description");
    dynamicHeaderKeys = List.copyOf(dynamicHeaderKeys);
    metadata = JsonValues.immutableCopy(metadata);
  }

  /** Returns a builder for an ability with the given id. */
  public static Builder builder(String abilityId) {
    return new Builder(abilityId);
  }

  /** Returns a builder that starts from this ability's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** True when calling the ability needs credentials; "public" abilities answer false. */
  public boolean dynamicHeadersRequired() {
    return !dynamicHeaderKeys.isEmpty();
  }

  /** Returns the original system's numeric id for this ability (see {@link VectorIds}). */
  public int vectorId() {
    return VectorIds.of(abilityId);
  }

  /** Returns this ability with {@code embedding} in place of its own. */
  public Ability withEmbedding(@Nullable Embedding embedding) {
    return new Ability(abilityId, abilityName, serviceName, description, embedding, dynamicHeaderKeys,
        metadata, createdAt, updatedAt);
  }

  /** Returns this ability with the given timestamps. */
  public Ability withTimestamps(@Nullable Instant createdAt, @Nullable Instant updatedAt) {
    return new Ability(abilityId, abilityName, serviceName, description, embedding, dynamicHeaderKeys,
        metadata, createdAt, updatedAt);
  }

  /** Returns a metadata value as a string, if it is one. */
  public @Nullable String metadataText(String key) {
    return metadata.get(key) instanceof String text ? text : null;
  }

  /** Leaves the embedding and metadata out: they can be large and belong to no log line. */
  @Override
  public String toString() {
    return "Ability[abilityId=" + abilityId + ", abilityName=" + abilityName + ", serviceName=" + serviceName
        + ", dynamicHeaderKeys=" + dynamicHeaderKeys + ", embedding="
        + (embedding == null ? "none" : embedding.dimension() + " dims") + "]";
  }

  /** Builds an {@link Ability}; not thread-safe. */
  public static final class Builder {
    private String abilityId;
    private String abilityName = "";
    private String serviceName = "";
    private String description = "";
    private @Nullable Embedding embedding;
    private final List<String> dynamicHeaderKeys = new ArrayList<>();
    private final Map<String, @Nullable Object> metadata = new LinkedHashMap<>();
    private @Nullable Instant createdAt;
    private @Nullable Instant updatedAt;

    private Builder(String abilityId) {
      this.abilityId = requireNonNull(abilityId, "abilityId");
    }

    private Builder(Ability ability) {
      this.abilityId = ability.abilityId;
      this.abilityName = ability.abilityName;
      this.serviceName = ability.serviceName;
      this.description = ability.description;
      this.embedding = ability.embedding;
      this.dynamicHeaderKeys.addAll(ability.dynamicHeaderKeys);
      this.metadata.putAll(ability.metadata);
      this.createdAt = ability.createdAt;
      this.updatedAt = ability.updatedAt;
    }

    public Builder abilityId(String abilityId) {
      this.abilityId = requireNonNull(abilityId, "abilityId");
      return this;
    }

    public Builder name(String abilityName) {
      this.abilityName = requireNonNull(abilityName, "abilityName");
      return this;
    }

    public Builder service(String serviceName) {
      this.serviceName = requireNonNull(serviceName, "serviceName");
      return this;
    }

    public Builder description(String description) {
      this.description = requireNonNull(description, "description");
      return this;
    }

    public Builder embedding(@Nullable Embedding embedding) {
      this.embedding = embedding;
      return this;
    }

    public Builder embedding(float... values) {
      this.embedding = Embedding.of(values);
      return this;
    }

    public Builder dynamicHeaderKeys(List<String> keys) {
      this.dynamicHeaderKeys.clear();
      this.dynamicHeaderKeys.addAll(keys);
      return this;
    }

    public Builder dynamicHeaderKey(String key) {
      this.dynamicHeaderKeys.add(requireNonNull(key, "key"));
      return this;
    }

    public Builder metadata(Map<String, ? extends @Nullable Object> metadata) {
      this.metadata.clear();
      this.metadata.putAll(metadata);
      return this;
    }

    public Builder metadata(String key, @Nullable Object value) {
      this.metadata.put(requireNonNull(key, "key"), value);
      return this;
    }

    public Builder createdAt(@Nullable Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    public Builder updatedAt(@Nullable Instant updatedAt) {
      this.updatedAt = updatedAt;
      return this;
    }

    public Ability build() {
      return new Ability(abilityId, abilityName, serviceName, description, embedding, dynamicHeaderKeys,
          metadata, createdAt, updatedAt);
    }
  }
}
