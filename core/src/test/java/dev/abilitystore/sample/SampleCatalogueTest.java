package dev.abilitystore.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.Ability;
import dev.abilitystore.redaction.CredentialRedactor;
import dev.abilitystore.validation.AbilityValidator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SampleCatalogueTest {
  private final List<Ability> abilities = SampleCatalogue.load();

  @Test
  void load_holdsAtLeast60AbilitiesOfAtLeast8Services() {
    assertThat(abilities).hasSizeGreaterThanOrEqualTo(60);
    assertThat(abilities.stream().map(Ability::serviceName).distinct()).hasSizeGreaterThanOrEqualTo(8);
  }

  @Test
  void load_idsAreUniqueAndEveryAbilityIsValid() {
    assertThat(abilities.stream().map(Ability::abilityId)).doesNotHaveDuplicates();
    AbilityValidator validator = AbilityValidator.anyDimension();
    assertThat(abilities).allSatisfy(ability -> assertThat(validator.check(ability)).isEmpty());
  }

  @Test
  void load_mixesPublicAndAuthenticatedAbilities() {
    Map<Boolean, Long> byAuth = abilities.stream()
        .collect(Collectors.partitioningBy(Ability::dynamicHeadersRequired, Collectors.counting()));
    assertThat(byAuth.get(true)).isGreaterThanOrEqualTo(15);
    assertThat(byAuth.get(false)).isGreaterThanOrEqualTo(15);
  }

  @Test
  void load_everyAbilityDescribesItsRequest() {
    assertThat(abilities).allSatisfy(ability -> {
      assertThat(ability.metadataText("request_method")).isIn("GET", "POST", "PUT", "PATCH", "DELETE");
      assertThat(ability.metadataText("request_url")).startsWith("https://");
      assertThat(ability.metadata().get("input_schema")).isInstanceOf(Map.class);
      assertThat(ability.description()).hasSizeGreaterThan(40);
    });
  }

  @Test
  void load_dependencyOrderNamesExistingOtherAbilities() {
    Set<String> ids = abilities.stream().map(Ability::abilityId).collect(Collectors.toSet());
    List<Ability> dependent = abilities.stream().filter(a -> a.metadata().containsKey("dependency_order")).toList();
    assertThat(dependent).hasSizeGreaterThanOrEqualTo(10);
    assertThat(dependent).allSatisfy(ability -> assertThat(((List<?>) ability.metadata().get("dependency_order")).stream().map(String.class::cast).toList())
        .isNotEmpty()
        .allSatisfy(id -> assertThat(ids).contains(id))
        .doesNotContain(ability.abilityId()));
  }

  @Test
  void load_holdsNoCredentials() {
    assertThat(abilities).allSatisfy(ability -> assertThat(CredentialRedactor.redact(ability).changed()).isFalse());
  }
}
