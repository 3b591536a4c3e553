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

  @Test
  void redact_credentialFieldsAnywhereInMetadata_areReplacedWhole() {
    Redaction redaction = CredentialRedactor.redact(withMetadata(Map.of(
        "auth", Map.of("type", "bearer", "api_key", "opaque1value", "password", "hunter2", "clientSecret", "cs-42"),
        "connection", Map.of("Authorization", "opaque2value", "cookie", "sid=abc", "region", "eu-west-1"),
        "providers", List.of(Map.of("credentials", Map.of("access_token", "at-1", "username", "ops"))),
        "github_token", "gh-opaque-3")));

    String json = json(redaction.ability());
    assertThat(json).doesNotContain("opaque1value", "hunter2", "cs-42", "opaque2value", "sid=abc", "at-1",
        "gh-opaque-3").contains("\"type\":\"bearer\"", "eu-west-1")
        .as("an object under a credential name is the credential: all of it goes")
        .contains("\"username\":\"[REDACTED]\"");
    assertThat(redaction.redactedFields()).contains("metadata.auth.api_key", "metadata.auth.password",
        "metadata.auth.clientSecret", "metadata.connection.Authorization", "metadata.connection.cookie",
        "metadata.providers[0].credentials.access_token", "metadata.github_token");
    assertThat(redaction.ability().dynamicHeaderKeys()).as("fields are not headers").isEmpty();
  }

  @Test
  void redact_schemaOfACredentialParameter_keepsItsDescriptionButNotItsValues() {
    Redaction redaction = CredentialRedactor.redact(withMetadata(Map.of("input_schema", Map.of("type", "object",
        "properties", Map.of(
            "api_key", Map.of("type", "string", "description", "your key", "default", "def-123",
                "example", "ex-456", "examples", List.of("exs-789"), "enum", List.of("en-1")),
            "token", "string",
            "max_tokens", Map.of("type", "integer", "default", 1024),
            "query", Map.of("type", "string", "default", "cats"))))));

    String json = json(redaction.ability());
    assertThat(json).doesNotContain("def-123", "ex-456", "exs-789", "en-1")
        .contains("your key", "\"token\":\"string\"", "1024", "cats");
  }

  @Test
  void redact_namedPairs_postmanHeadersAndAuth() {
    Redaction redaction = CredentialRedactor.redact(withMetadata(Map.of(
        "request_url", "https://api.example.com/v1",
        "request", Map.of("header", List.of(Map.of("key", "Authorization", "value", "opaque-a1", "type", "text"),
            Map.of("key", "Accept", "value", "application/json"))),
        "auth", Map.of("type", "bearer", "bearer", List.of(Map.of("key", "token", "value", "opaque-b2"))),
        "form", List.of(Map.of("name", "password", "value", "opaque-c3"), Map.of("name", "user", "value", "ann")))));

    String json = json(redaction.ability());
    assertThat(json).doesNotContain("opaque-a1", "opaque-b2", "opaque-c3").contains("application/json", "ann");
    assertThat(redaction.ability().dynamicHeaderKeys()).containsExactly("api.example.com::authorization");
  }

  @Test
  void redact_credentialNamedHeaders_areHeadersToo() {
    Redaction redaction = CredentialRedactor.redact(withMetadata(Map.of("request_url", "https://api.example.com/x",
        "static_headers", Map.of("X-Service-Token", "opaque-d4", "X-Request-Source", "docs"))));
    assertThat(json(redaction.ability())).doesNotContain("opaque-d4").contains("docs");
    assertThat(redaction.ability().dynamicHeaderKeys()).containsExactly("api.example.com::x-service-token");
  }

  @Test
  void redact_assignmentsAndHeaderLinesInText() {
    Redaction redaction = CredentialRedactor.redact(withMetadata(Map.of(
        "wrapper_code", "const apiKey = \"opaque5value\";\nconst password = 'pw-6-value';\nconst url = \"https://x\";",
        "json_example", "{\"client_secret\": \"opaque7value\", \"name\": \"demo\"}",
        "curl", "curl -H 'X-Api-Key: opaque8value9' -H 'Accept: application/json' https://api.example.com",
        "shell", "export SERVICE_TOKEN=opaque10value && run")));

    String json = json(redaction.ability());
    assertThat(json).doesNotContain("opaque5value", "pw-6-value", "opaque7value", "opaque8value9", "opaque10value")
        .contains("const apiKey = \\\"[REDACTED]\\\"", "X-Api-Key: [REDACTED]", "SERVICE_TOKEN=[REDACTED] && run",
            "https://x", "Accept: application/json", "demo");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Authorization: required for writes.", "token: see the docs", "max_tokens=4096",
      "const apiKey = process.env.API_KEY;", "password: \"{password}\"", "api_key: \"string\"",
      "token_url = \"https://auth.example.com/token\""})
  void redact_credentialNamesWithoutACredential_areLeftAlone(String text) {
    Ability ability = withMetadata(Map.of("notes", text)).toBuilder().description(text).build();
    assertThat(CredentialRedactor.redact(ability).changed()).isFalse();
  }

  @Test
  void redact_placeholdersAndTypeNamesInCredentialFields_stay() {
    Ability ability = withMetadata(Map.of("auth", Map.of("api_key", "{api_key}", "token", "<token>", "secret",
        "$SECRET", "password", "", "bearer", "string", "enabled_token", true)));
    assertThat(CredentialRedactor.redact(ability).changed()).isFalse();
  }

  @Test
  void redact_abilityName_loosesTokens() {
    Ability ability = withMetadata(Map.of()).toBuilder().name("Charge with sk_live_51HabcdefGHIJ0123456789").build();
    assertThat(CredentialRedactor.redact(ability).ability().abilityName()).isEqualTo("Charge with [REDACTED]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"api_key", "API-Key", "x-api-key", "apiKey", "client_secret", "clientSecret", "password",
      "db_password", "access_token", "refresh_token", "github_token", "Authorization", "Proxy-Authorization",
      "Cookie", "Set-Cookie", "private_key", "aws_secret_access_key", "passphrase", "credentials", "bearer"})
  void isCredentialName_recognisesCredentialNames(String name) {
    assertThat(CredentialRedactor.isCredentialName(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"key", "auth", "max_tokens", "token_url", "token_type", "tokenizer", "username", "name",
      "passwords_allowed", "secretary", "", "-"})
  void isCredentialName_leavesOtherNames(String name) {
    assertThat(CredentialRedactor.isCredentialName(name)).isFalse();
  }

  @Test
  void redact_newRules_areIdempotent() {
    Ability ability = withMetadata(Map.of(
        "auth", Map.of("api_key", "k1-opaque", "schema", Map.of("password", Map.of("default", "pw1"))),
        "request", Map.of("header", List.of(Map.of("key", "X-Service-Token", "value", "tok-9"))),
        "code", "const apiKey = 'abc123xyz'; curl -H 'X-Api-Key: abcdef123456'")).toBuilder()
        .name("Run with ghp_abcdefghijklmnopqrstuvwxyz0123456789").build();
    Ability once = CredentialRedactor.redact(ability).ability();
    Redaction twice = CredentialRedactor.redact(once);
    assertThat(twice.changed()).isFalse();
    assertThat(twice.ability()).isEqualTo(once);
  }
}
