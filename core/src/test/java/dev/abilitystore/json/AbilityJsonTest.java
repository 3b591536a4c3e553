package dev.abilitystore.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.Ability;
import dev.abilitystore.FieldError;
import dev.abilitystore.InvalidAbilityException;
import dev.abilitystore.testing.Abilities;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AbilityJsonTest {

  private static final String MINIMAL = "\"ability_id\":\"github-get-user\",\"ability_name\":\"Get\","
      + "\"service_name\":\"github\",\"description\":\"d\"";

  @Test
  void toJson_thenFromJson_keepsEveryField() {
    Ability ability = Abilities.full("github-get-user", 3072)
        .withTimestamps(Instant.parse("2025-03-04T05:06:07.891Z"), Instant.parse("2026-01-02T03:04:05Z"));

    Ability copy = AbilityJson.fromJson(AbilityJson.toJson(ability, true));

    assertThat(copy).isEqualTo(ability);
    assertThat(copy.embedding()).isNotNull();
    assertThat(copy.embedding().dimension()).isEqualTo(3072);
  }

  @Test
  void toJson_usesTheOriginalSnakeCaseNames() {
    String json = AbilityJson.toJson(Abilities.full("github-get-user", 2)
        .withTimestamps(Instant.EPOCH, Instant.EPOCH), true);
    assertThat(json).startsWith("{\"ability_id\":\"github-get-user\",\"vector_id\":1008771826,\"ability_name\":")
        .contains("\"service_name\":\"github\"", "\"description\":", "\"embedding\":[",
            "\"dynamic_header_keys\":[\"api.github.com::authorization\"]", "\"dynamic_headers_required\":true",
            "\"metadata\":{", "\"created_at\":\"1970-01-01T00:00:00Z\"", "\"updated_at\":\"1970-01-01T00:00:00Z\"");
  }

  @Test
  void toJson_withoutEmbedding_leavesItOut() {
    assertThat(AbilityJson.toJson(Abilities.full("a", 4), false)).doesNotContain("embedding");
  }

  @Test
  void fromJson_derivedFields_areAcceptedAndRecomputed() {
    Ability ability = AbilityJson.fromJson("{" + MINIMAL + ",\"vector_id\":1008771826,"
        + "\"dynamic_headers_required\":true,\"content_hash\":\"abc\"}");
    assertThat(ability.dynamicHeadersRequired()).isFalse();
    assertThat(ability.vectorId()).isEqualTo(1008771826);
  }

  @Test
  void fromJson_contradictingVectorId_isRejected() {
    assertThatThrownBy(() -> AbilityJson.fromJson("{" + MINIMAL + ",\"vector_id\":7}"))
        .isInstanceOf(InvalidAbilityException.class)
        .hasMessageContaining("vector_id: 7 does not match the id derived from ability_id (1008771826)");
  }

  @Test
  void fromJson_headerKeysOnlyInMetadata_areTakenFromThere() {
    Ability ability = AbilityJson.fromJson("{" + MINIMAL
        + ",\"metadata\":{\"dynamic_header_keys\":[\"api.github.com::authorization\"]}}");
    assertThat(ability.dynamicHeaderKeys()).containsExactly("api.github.com::authorization");
    assertThat(ability.dynamicHeadersRequired()).isTrue();
  }

  @Test
  void fromJson_wrongTypesAndUnknownFields_nameEveryField() {
    assertThatThrownBy(() -> AbilityJson.fromJson("{\"ability_id\":\"x\",\"ability_name\":5,"
        + "\"description\":\"d\",\"embedding\":[1,\"2\"],\"dynamic_header_keys\":\"k\",\"metadata\":[],"
        + "\"descripton\":\"typo\",\"created_at\":\"yesterday\"}"))
        .isInstanceOfSatisfying(InvalidAbilityException.class, e -> assertThat(e.errors())
            .extracting(FieldError::field)
            .containsExactlyInAnyOrder("ability_name", "embedding[1]", "dynamic_header_keys", "metadata",
                "descripton", "created_at", "service_name"));
  }

  @Test
  void fromJson_timestampWithoutOffset_isUtc() {
    Ability ability = AbilityJson.fromJson("{" + MINIMAL + ",\"created_at\":\"2025-01-02 03:04:05.123456\","
        + "\"updated_at\":\"2025-01-02T03:04:05+02:00\"}");
    assertThat(ability.createdAt()).isEqualTo(Instant.parse("2025-01-02T03:04:05.123456Z"));
    assertThat(ability.updatedAt()).isEqualTo(Instant.parse("2025-01-02T01:04:05Z"));
  }

  @Test
  void parseTimestamp_readsBackEveryInstantItFormats() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(1);
    for (int i = 0; i < 10_000; i++) {
      Instant instant = Instant.ofEpochSecond(random.nextLong(-2_000_000_000L, 4_000_000_000L),
          random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
      assertThat(AbilityJson.parseTimestamp(AbilityJson.formatTimestamp(instant))).isEqualTo(instant);
    }
    assertThat(AbilityJson.parseTimestamp("2024-02-29T23:59:59.5Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59.5Z"));
    assertThatThrownBy(() -> AbilityJson.parseTimestamp("2023-02-29T00:00:00Z"))
        .isInstanceOf(java.time.format.DateTimeParseException.class);
  }

  @Test
  void fromJson_metadataNumbers_areNormalised() {
    Ability ability = AbilityJson.fromJson("{" + MINIMAL
        + ",\"metadata\":{\"a\":1.0,\"b\":2.50,\"c\":12345678901234567890123,\"d\":[null,false]}}");
    assertThat(ability.metadata()).containsEntry("a", 1L).containsEntry("b", new java.math.BigDecimal("2.5"))
        .containsEntry("c", new java.math.BigInteger("12345678901234567890123"));
    @SuppressWarnings("unchecked")
    List<Object> list = (List<Object>) ability.metadata().get("d");
    assertThat(list).containsExactly(null, false);
  }

  @Test
  void metadata_isDeeplyImmutable() {
    Ability ability = AbilityJson.fromJson("{" + MINIMAL + ",\"metadata\":{\"m\":{\"k\":[1]}}}");
    @SuppressWarnings("unchecked")
    Map<String, Object> nested = (Map<String, Object>) ability.metadata().get("m");
    assertThatThrownBy(() -> nested.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((List<?>) nested.get("k")).clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void parseEmbedding_readsWhatEmbeddingJsonWrites() {
    var embedding = Abilities.vector("seed", 3072);
    assertThat(AbilityJson.parseEmbedding(AbilityJson.embeddingJson(embedding))).isEqualTo(embedding);
    assertThat(AbilityJson.parseEmbedding("[1, 2.5, -3e-2]").toArray()).containsExactly(1f, 2.5f, -0.03f);
  }
}
