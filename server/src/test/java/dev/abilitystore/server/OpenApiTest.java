package dev.abilitystore.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /openapi.json} documents exactly the routes the server registers, with their methods. */
class OpenApiTest {
  private static final Set<String> OPERATIONS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
      "trace");

  @TempDir static Path dataDirectory;
  private static TestServer server;
  private static JsonNode document;

  @BeforeAll
  static void start() throws IOException {
    server = TestServer.startWithoutPostgres(dataDirectory, ServerConfig.defaults());
    try (InputStream in = ApiServer.class.getResourceAsStream(ProbeEndpoints.OPENAPI_RESOURCE)) {
      document = new ObjectMapper().readTree(in);
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void everyRegisteredRoute_isDocumented_andEveryDocumentedOperationIsRegistered() {
    Set<String> registered = new TreeSet<>();
    for (ApiServer.Route route : server.server().routes()) {
      registered.add(route.method() + " " + route.path());
    }
    Set<String> documented = new TreeSet<>();
    for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
      path.getValue().fieldNames().forEachRemaining(operation -> {
        if (OPERATIONS.contains(operation)) {
          documented.add(operation.toUpperCase(Locale.ROOT) + " " + path.getKey());
        }
      });
    }

    assertThat(registered).hasSizeGreaterThanOrEqualTo(12);
    assertThat(documented).isEqualTo(registered);
  }

  @Test
  void servedDocument_isTheResource() {
    assertThat(server.get("/openapi.json").json()).isEqualTo(document);
  }

  @Test
  void document_isOpenApi31_andEveryReferenceResolves() {
    assertThat(document.get("openapi").asText()).isEqualTo("3.1.0");
    List<String> references = new ArrayList<>();
    collectReferences(document, references);

    assertThat(references).isNotEmpty();
    for (String reference : references) {
      assertThat(reference).startsWith("#/");
      assertThat(document.at(reference.substring(1)).isMissingNode()).as(reference).isFalse();
    }
  }

  @Test
  void everyApiOperation_answers200AndItsErrorsAsProblems() {
    for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
      for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
        String name = operation.getKey() + " " + path.getKey();
        JsonNode responses = operation.getValue().get("responses");
        assertThat(responses.has("200")).as(name).isTrue();
        for (Map.Entry<String, JsonNode> response : responses.properties()) {
          if (path.getKey().startsWith("/v1/") && Integer.parseInt(response.getKey()) >= 400) {
            JsonNode resolved = document.at(response.getValue().get("$ref").asText().substring(1));
            assertThat(resolved.get("content").has("application/problem+json")).as(name + " " + response.getKey())
                .isTrue();
          }
        }
      }
    }
    assertThat(document.at("/components/schemas/Problem/required").toString())
        .isEqualTo("[\"type\",\"title\",\"status\",\"detail\",\"instance\",\"errors\"]");
  }

  private static void collectReferences(JsonNode node, List<String> references) {
    if (node.isObject()) {
      node.properties().forEach(field -> {
        if (field.getKey().equals("$ref")) {
          references.add(field.getValue().asText());
        } else {
          collectReferences(field.getValue(), references);
        }
      });
    } else if (node.isArray()) {
      node.forEach(element -> collectReferences(element, references));
    }
  }
}
