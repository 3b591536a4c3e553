package dev.abilitystore.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.Ability;
import dev.abilitystore.Embedding;
import dev.abilitystore.InvalidAbilityException;
import dev.abilitystore.embed.AbilityText;
import dev.abilitystore.embed.HashingEmbedder;
import dev.abilitystore.port.Embedder;
import dev.abilitystore.testing.Abilities;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AbilityPreparerTest {
  private final List<List<String>> calls = new ArrayList<>();
  private final Embedder recording = new Embedder() {
    private final HashingEmbedder delegate = new HashingEmbedder(8);

    @Override
    public String model() {
      return delegate.model();
    }

    @Override
    public int dimension() {
      return 8;
    }

    @Override
    public List<Embedding> embedDocuments(List<String> texts) {
      calls.add(texts);
      return delegate.embedDocuments(texts);
    }
  };
  private final AbilityPreparer preparer = new AbilityPreparer(recording);

  @Test
  void prepare_embedsOnlyWhatHasNoEmbedding_inOneCall() {
    Ability withVector = Abilities.simple("a", "s", false, 8);
    Ability withoutVector = Abilities.simple("b", "s", false, 8).withEmbedding(null);

    List<Ability> prepared = preparer.prepare(List.of(withVector, withoutVector));

    assertThat(prepared.get(0)).isEqualTo(withVector);
    assertThat(prepared.get(1).embedding()).isEqualTo(new HashingEmbedder(8).embedQuery(AbilityText.of(withoutVector)));
    assertThat(calls).containsExactly(List.of(AbilityText.of(withoutVector)));
  }

  @Test
  void prepare_redactsCredentialsAndAddsTheHeaderKey() {
    Ability leaky = Abilities.simple("a", "s", false, 8).toBuilder()
        .metadata(Map.of("request_url", "https://api.x.com/v1", "static_headers", Map.of("Authorization", "Bearer x")))
        .build();

    Ability prepared = preparer.prepare(List.of(leaky)).get(0);

    assertThat(prepared.metadata().get("static_headers")).isEqualTo(Map.of("Authorization", "[REDACTED]"));
    assertThat(prepared.dynamicHeaderKeys()).containsExactly("api.x.com::authorization");
  }

  @Test
  void prepare_invalidAbility_failsBeforeAnythingIsEmbedded() {
    assertThatThrownBy(() -> preparer.prepare(List.of(Abilities.simple("a", "s", false, 8).withEmbedding(null),
        Abilities.simple("bad id", "s", false, 8))))
        .isInstanceOf(InvalidAbilityException.class).hasMessageContaining("ability_id");
    assertThat(calls).isEmpty();
  }

  @Test
  void prepare_wrongDimension_isRejected() {
    assertThatThrownBy(() -> preparer.prepare(List.of(Abilities.simple("a", "s", false, 9))))
        .hasMessageContaining("embedding: has 9 dimensions, the store holds 8");
  }
}
