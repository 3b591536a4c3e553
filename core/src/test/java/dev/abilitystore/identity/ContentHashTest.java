package dev.abilitystore.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.Ability;
import dev.abilitystore.json.AbilityJson;
import dev.abilitystore.json.CanonicalJson;
import dev.abilitystore.testing.Abilities;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContentHashTest {

  private static Ability small() {
    return Ability.builder("x-get").name("Get").service("x").description("d")
        .embedding(0.5f, -0.25f)
        .metadata(Map.of("b", 1, "a", List.of(true, "s")))
        .build();
  }

  @Test
  void contentBytes_smallAbility_isTheDocumentedCanonicalForm() {
    assertThat(new String(CanonicalJson.contentBytes(small()), StandardCharsets.UTF_8)).isEqualTo(
        "{\"ability_id\":\"x-get\",\"ability_name\":\"Get\",\"description\":\"d\",\"dynamic_header_keys\":[],"
            + "\"embedding\":[0.5,-0.25],\"metadata\":{\"a\":[true,\"s\"],\"b\":1},\"service_name\":\"x\"}");
  }

  @Test
  void of_isLowercaseHexSha256() {
    assertThat(ContentHash.of(small())).matches("[0-9a-f]{64}");
  }

  @Test
  void of_metadataKeyOrder_doesNotMatter() {
    Map<String, Object> forward = new LinkedHashMap<>();
    forward.put("a", 1);
    forward.put("b", Map.of("y", 2, "x", 3));
    Map<String, Object> backward = new LinkedHashMap<>();
    backward.put("b", Map.of("x", 3, "y", 2));
    backward.put("a", 1);
    assertThat(ContentHash.of(small().toBuilder().metadata(forward).build()))
        .isEqualTo(ContentHash.of(small().toBuilder().metadata(backward).build()));
  }

  @Test
  void of_numberFormatting_doesNotMatter() {
    Ability plain = small().toBuilder().metadata(Map.of("n", 1, "f", new BigDecimal("1.5"))).build();
    Ability padded = small().toBuilder().metadata(Map.of("n", new BigDecimal("1.00"), "f", new BigDecimal("15e-1")))
        .build();
    Ability fromJson = AbilityJson.fromJson("{\"ability_id\":\"x-get\",\"ability_name\":\"Get\",\"service_name\":\"x\","
        + "\"description\":\"d\",\"embedding\":[0.50,-2.5e-1],\"metadata\":{\"f\":1.50,\"n\":1.0}}");
    assertThat(ContentHash.of(padded)).isEqualTo(ContentHash.of(plain));
    assertThat(ContentHash.of(fromJson)).isEqualTo(ContentHash.of(plain));
  }

  @Test
  void of_timestamps_areNotContent() {
    Ability stamped = small().withTimestamps(Instant.parse("2020-01-01T00:00:00Z"), Instant.now());
    assertThat(ContentHash.of(stamped)).isEqualTo(ContentHash.of(small()));
  }

  @Test
  void of_anyContentChange_changesTheHash() {
    String base = ContentHash.of(small());
    assertThat(ContentHash.of(small().toBuilder().description("e").build())).isNotEqualTo(base);
    assertThat(ContentHash.of(small().toBuilder().embedding(0.5f, -0.26f).build())).isNotEqualTo(base);
    assertThat(ContentHash.of(small().withEmbedding(null))).isNotEqualTo(base);
    assertThat(ContentHash.of(small().toBuilder().dynamicHeaderKey("x::authorization").build())).isNotEqualTo(base);
    assertThat(ContentHash.of(small().toBuilder().metadata("b", 2).build())).isNotEqualTo(base);
    assertThat(ContentHash.of(small().toBuilder().service("y").build())).isNotEqualTo(base);
  }

  @Test
  void of_jsonRoundTrip_keepsTheHash() {
    Ability ability = Abilities.full("github-get-user", 3072);
    Ability copy = AbilityJson.fromJson(AbilityJson.toJson(ability, true));
    assertThat(ContentHash.of(copy)).isEqualTo(ContentHash.of(ability));
  }
}
