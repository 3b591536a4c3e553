package dev.abilitystore.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.Ability;
import dev.abilitystore.json.AbilityJson;
import dev.abilitystore.testing.Abilities;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CredentialRedactorTest {
  private static final String JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0"
      + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

  private static Ability withMetadata(Map<String, ?> metadata) {
    return Ability.builder("api-call").name("Call").service("api.example.com").description("Calls the API.")
        .metadata(metadata).build();
  }

  private static String json(Ability ability) {
    return AbilityJson.toJson(ability, false);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Authorization", "authorization", "AUTHORIZATION", "Proxy-Authorization", "Cookie",
      "Set-Cookie", "X-API-Key", "apikey", "Api-Key", "X-Auth-Token", "x-csrf-token"})
  void redact_credentialHeaderNames_anyCase(String header) {
    Redaction redaction = CredentialRedactor.redact(withMetadata(Map.of(
        "request_url", "https://api.example.com/v1/things",
        "static_headers", Map.of(header, "secret-value-1", "Accept", "application/json"))));

    @SuppressWarnings("unchecked")
    Map<String, Object> headers = (Map<String, Object>) redaction.ability().metadata().get("static_headers");
    assertThat(headers).containsEntry(header, "[REDACTED]").containsEntry("Accept", "application/json");
    assertThat(redaction.redactedFields()).containsExactly("metadata.static_headers." + header);
    assertThat(json(redaction.ability())).doesNotContain("secret-value-1");
    if (!header.equalsIgnoreCase("set-cookie")) {
      assertThat(redaction.ability().dynamicHeaderKeys()).containsExactly("api.example.com::" + header.toLowerCase());
    }
  }

  @Test
  void redact_dynamicHeadersAndNestedHeaderMapsAndHarLists() {
    Ability ability = withMetadata(Map.of(
        "dynamic_headers", Map.of("api.github.com::authorization", "token abc"),
        "recorded", Map.of("request", Map.of(
            "headers", List.of(Map.of("name", "Cookie", "value", "sid=s3cr3t"),
                Map.of("name", "User-Agent", "value", "curl/8"))))));

    Redaction redaction = CredentialRedactor.redact(ability);

    String json = json(redaction.ability());
    assertThat(json).doesNotContain("token abc", "s3cr3t").contains("curl/8");
    assertThat(redaction.ability().dynamicHeaderKeys())
        .containsExactlyInAnyOrder("api.github.com::authorization", "cookie");
  }

  @Test
  void redact_tokenValuedHeaderUnderAnyName_isReplacedWhole() {
    Redaction redaction = CredentialRedactor.redact(withMetadata(Map.of(
        "headers", Map.of("X-Custom", "Bearer " + "abcdef0123456789abcdef"))));
    assertThat(json(redaction.ability())).contains("\"X-Custom\":\"[REDACTED]\"");
  }

  @Test
  void redact_tokensInsideOtherStrings_areReplacedInPlace() {
    Redaction redaction = CredentialRedactor.redact(withMetadata(Map.of(
        "wrapper_code", "fetch(url, {headers: {Authorization: 'Bearer " + JWT + "'}})",
        "notes", List.of("stripe key sk_live_51HabcdefGHIJ0123456789", "basic dXNlcjpwYXNzd29yZDEyMzQ="),
        "example", "ghp_abcdefghijklmnopqrstuvwxyz0123456789")));

    String json = json(redaction.ability());
    assertThat(json).doesNotContain(JWT, "sk_live_51H", "dXNlcjpwYXNzd29yZDEyMzQ", "ghp_abcdef")
        .contains("Bearer [REDACTED]", "basic [REDACTED]", "stripe key [REDACTED]");
    assertThat(redaction.redactedFields())
        .containsExactlyInAnyOrder("metadata.wrapper_code", "metadata.notes[0]", "metadata.notes[1]",
            "metadata.example");
  }

  @Test
  void redact_descriptionTokens_areReplaced() {
    Ability ability = withMetadata(Map.of()).toBuilder().description("Call with Bearer " + JWT).build();
    assertThat(CredentialRedactor.redact(ability).ability().description()).isEqualTo("Call with Bearer [REDACTED]");
  }

  @Test
  void redact_credentialQueryParameters_keepTheirNameButNotTheirValue() {
    Redaction redaction = CredentialRedactor.redact(withMetadata(Map.of(
        "request_url", "https://maps.example.com/geo?q=Paris&key=AIzaSyA1234567890&api_key={api_key}&page=2")));
    assertThat(redaction.ability().metadataText("request_url"))
        .isEqualTo("https://maps.example.com/geo?q=Paris&key=[REDACTED]&api_key={api_key}&page=2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Requires a Bearer token in the Authorization header.",
      "Use Basic authentication with your account email.", "Returns a token for the session.",
      "See https://api.example.com/docs?section=auth"})
  void redact_proseAboutCredentials_isLeftAlone(String text) {
    Ability ability = withMetadata(Map.of("notes", text)).toBuilder().description(text).build();
    Redaction redaction = CredentialRedactor.redact(ability);
    assertThat(redaction.changed()).isFalse();
    assertThat(redaction.ability()).isSameAs(ability);
  }

  @Test
  void redact_isIdempotent() {
    Ability ability = withMetadata(Map.of(
        "request_url", "https://api.example.com/x?access_token=abc123",
        "static_headers", Map.of("Authorization", "Bearer " + JWT),
        "code", "token 0123456789abcdef0123"));
    Ability once = CredentialRedactor.redact(ability).ability();
    Redaction twice = CredentialRedactor.redact(once);
    assertThat(twice.changed()).isFalse();
    assertThat(twice.ability()).isEqualTo(once);
  }

  @Test
  void redact_cleanAbility_isUnchanged() {
    Ability ability = Abilities.full("github-get-user", 4);
    assertThat(CredentialRedactor.redact(ability).ability()).isSameAs(ability);
  }
}
