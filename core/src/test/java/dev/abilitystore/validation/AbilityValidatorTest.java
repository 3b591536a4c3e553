package dev.abilitystore.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.Ability;
import dev.abilitystore.Embedding;
import dev.abilitystore.FieldError;
import dev.abilitystore.InvalidAbilityException;
import dev.abilitystore.testing.Abilities;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AbilityValidatorTest {
  private final AbilityValidator validator = AbilityValidator.forDimension(8);
  private final Ability valid = Abilities.full("github-get-user", 8);

  private List<String> fieldsOf(Ability ability) {
    return validator.check(ability).stream().map(FieldError::field).toList();
  }

  private String messageOf(Ability ability) {
    return validator.check(ability).get(0).message();
  }

  @Test
  void check_validAbility_hasNoErrors() {
    assertThat(validator.check(valid)).isEmpty();
    assertThat(validator.validate(valid)).isSameAs(valid);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "tab\there", "new\nline", "nul\u0000", "slash/id", "back\\slash",
      "zero\u200Bwidth", "nbsp\u00A0id", "bell\u0007"})
  void check_badAbilityIds_areRejected(String id) {
    assertThat(fieldsOf(valid.toBuilder().abilityId(id).build())).containsExactly("ability_id");
  }

  @Test
  void check_abilityIdLength_isBoundedAt256() {
    assertThat(fieldsOf(valid.toBuilder().abilityId("a".repeat(256)).build())).isEmpty();
    assertThat(messageOf(valid.toBuilder().abilityId("a".repeat(257)).build()))
        .isEqualTo("must be at most 256 characters, was 257");
  }

  @Test
  void check_unicodeIds_areAllowed() {
    assertThat(fieldsOf(valid.toBuilder().abilityId("récupérer-utilisateur-😀").build())).isEmpty();
  }

  @Test
  void check_requiredTexts_mustNotBeBlank() {
    assertThat(fieldsOf(valid.toBuilder().name(" ").service("").build()))
        .containsExactly("ability_name", "service_name");
  }

  @Test
  void check_serviceWithSpaces_isAllowedButNotControlCharacters() {
    assertThat(fieldsOf(valid.toBuilder().service("GitHub API").build())).isEmpty();
    assertThat(fieldsOf(valid.toBuilder().service("Git\u0001Hub").build())).containsExactly("service_name");
  }

  @Test
  void check_description_isBoundedAt64KiBOfUtf8() {
    assertThat(fieldsOf(valid.toBuilder().description("a".repeat(65536)).build())).isEmpty();
    assertThat(messageOf(valid.toBuilder().description("é".repeat(32769)).build()))
        .isEqualTo("must be at most 65536 bytes of UTF-8, was 65538");
  }

  @Test
  void check_unpairedSurrogate_isRejectedEverywhere() {
    Ability ability = valid.toBuilder().description("bad \uD800 here").metadata("k", "x\uDC00").build();
    assertThat(fieldsOf(ability)).containsExactly("description", "metadata.k");
    assertThat(messageOf(ability)).contains("unpaired surrogate U+D800");
  }

  @Test
  void check_embedding_dimensionFinitenessAndNorm() {
    assertThat(messageOf(valid.withEmbedding(Embedding.of(new float[7]))))
        .isEqualTo("has 7 dimensions, the store holds 8");
    assertThat(fieldsOf(valid.withEmbedding(Embedding.of(1, 2, 3, Float.NaN, 5, 6, 7, 8))))
        .containsExactly("embedding[3]");
    assertThat(fieldsOf(valid.withEmbedding(Embedding.of(1, 2, 3, 4, Float.POSITIVE_INFINITY, 6, 7, 8))))
        .containsExactly("embedding[4]");
    assertThat(messageOf(valid.withEmbedding(Embedding.of(new float[8]))))
        .isEqualTo("must not be all zeros (a zero vector has no direction)");
    assertThat(validator.check(valid.withEmbedding(null))).isEmpty();
  }

  @Test
  void anyDimension_acceptsUpTo4096() {
    AbilityValidator any = AbilityValidator.anyDimension();
    assertThat(any.check(valid.withEmbedding(Abilities.vector("x", 4096)))).isEmpty();
    assertThat(any.check(valid.withEmbedding(Abilities.vector("x", 4097)))).extracting(FieldError::field)
        .containsExactly("embedding");
  }

  @Test
  void check_dynamicHeaderKeys_countAndDuplicates() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 65; i++) {
      keys.add("h" + i);
    }
    assertThat(messageOf(valid.toBuilder().dynamicHeaderKeys(keys).build()))
        .isEqualTo("must hold at most 64 keys, holds 65");
    assertThat(fieldsOf(valid.toBuilder().dynamicHeaderKeys(keys.subList(0, 64)).build())).isEmpty();
    assertThat(fieldsOf(valid.toBuilder().dynamicHeaderKeys(List.of("a", "b", "a", " ")).build()))
        .containsExactly("dynamic_header_keys[2]", "dynamic_header_keys[3]");
  }

  @Test
  void check_metadata_isBoundedAt1MiB() {
    String big = "x".repeat(1024 * 1024);
    assertThat(messageOf(valid.toBuilder().metadata(Map.of("blob", big)).build()))
        .startsWith("must be at most 1048576 bytes as JSON, was ");
    assertThat(fieldsOf(valid.toBuilder().metadata(Map.of("blob", big.substring(20))).build())).isEmpty();
  }

  @Test
  void check_metadataNumbers_areAtMost1000CharactersWrittenOut() {
    assertThat(fieldsOf(valid.toBuilder().metadata(Map.of("n", new java.math.BigDecimal("1e-998"))).build()))
        .isEmpty();
    assertThat(fieldsOf(valid.toBuilder().metadata(Map.of("n", new java.math.BigDecimal("1e-999"))).build()))
        .containsExactly("metadata.n");
    assertThat(fieldsOf(valid.toBuilder().metadata(Map.of("n", new java.math.BigDecimal("-1e999"))).build()))
        .containsExactly("metadata.n");
    assertThat(fieldsOf(valid.toBuilder().metadata(Map.of("n", new java.math.BigDecimal("1e200000"))).build()))
        .containsExactly("metadata.n");
    assertThat(fieldsOf(valid.toBuilder().metadata(Map.of("n", java.math.BigInteger.TEN.pow(1000))).build()))
        .containsExactly("metadata.n");
  }

  @Test
  void check_timestamps_areWithinTheYears1To9999() {
    java.time.Instant ok = java.time.Instant.parse("9999-12-31T23:59:59Z");
    assertThat(fieldsOf(valid.withTimestamps(ok, java.time.Instant.parse("0001-01-01T00:00:00Z")))).isEmpty();
    assertThat(fieldsOf(valid.withTimestamps(java.time.Instant.parse("+10000-01-01T00:00:00Z"),
        java.time.Instant.parse("-0001-01-01T00:00:00Z")))).containsExactly("created_at", "updated_at");
  }

  @Test
  void check_nonFiniteMetadataNumbers_areNamed() {
    Map<String, Object> nested = new HashMap<>();
    nested.put("values", List.of(1, Double.NaN));
    assertThat(fieldsOf(valid.toBuilder().metadata(Map.of("stats", nested)).build()))
        .containsExactly("metadata.stats.values[1]");
  }

  @Test
  void check_nulKeyInMetadata_isNamed() {
    assertThat(messageOf(valid.toBuilder().metadata(Collections.singletonMap("a\u0000b", 1)).build()))
        .startsWith("key must not contain the NUL character");
  }

  @Test
  void validate_reportsEveryErrorInTheMessage() {
    Ability broken = valid.toBuilder().abilityId("bad id").name("").build();
    assertThatThrownBy(() -> validator.validate(broken))
        .isInstanceOf(InvalidAbilityException.class)
        .hasMessage("invalid ability: ability_id: must not contain white space (found at position 3); "
            + "ability_name: must not be empty");
  }
}
