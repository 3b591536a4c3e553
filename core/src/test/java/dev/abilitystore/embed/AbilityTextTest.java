package dev.abilitystore.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.Ability;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AbilityTextTest {

  @Test
  void of_fullAbility_isTheDocumentedText() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("username", Map.of("type", "string", "description", "GitHub login, e.g. 'octocat'."));
    properties.put("per_page", Map.of("type", "integer"));
    Ability ability = Ability.builder("github-get-user").name("Get GitHub User").service("github")
        .description("Fetches a public profile.")
        .metadata(Map.of("request_method", "GET", "request_url", "https://api.github.com/users/{username}?x=1",
            "display_name", "GitHub: user profile", "tags", List.of("users", "Social"),
            "input_schema", Map.of("type", "object", "properties", properties, "required", List.of("username"))))
        .build();

    assertThat(AbilityText.of(ability)).isEqualTo("""
        Get GitHub User
        GitHub: user profile
        github
        Fetches a public profile.
        GET /users/{username}
        Tags: users, Social
        Parameters: username: GitHub login, e.g. 'octocat'.; per_page""");
  }

  @Test
  void of_minimalAbility_leavesMissingLinesOut() {
    Ability ability = Ability.builder("x").name("X").service("s").description("d").build();
    assertThat(AbilityText.of(ability)).isEqualTo("X\ns\nd");
  }

  @Test
  void of_isBounded() {
    Ability ability = Ability.builder("x").name("X").service("s").description("word ".repeat(5000)).build();
    assertThat(AbilityText.of(ability)).hasSize(AbilityText.MAX_CHARS);
  }
}
