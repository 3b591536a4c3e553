package dev.abilitystore.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.SearchRequest;
import dev.abilitystore.SearchResult;
import dev.abilitystore.embeddings.OnnxEmbedder;
import dev.abilitystore.lucene.LuceneConfig;
import dev.abilitystore.lucene.LuceneVectorIndex;
import dev.abilitystore.postgres.PostgresConfig;
import dev.abilitystore.postgres.PostgresRecordStore;
import dev.abilitystore.postgres.testing.PostgresDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java API example runs, and the README shows exactly this code. */
class ReadmeExampleTest {
  private static final String START = "// README: java-api";
  private static final String END = "// README: end";

  @RegisterExtension static final PostgresDatabase database = new PostgresDatabase();
  @TempDir Path dataDirectory;

  @Test
  void javaApiExample_runsAndFindsTheAbilityByMeaning() {
    PostgresConfig postgres = database.config();
    List<String> found;
    // README: java-api
    try (AbilityStore store = AbilityStore.builder()
        .primary(LuceneVectorIndex.open(LuceneConfig.builder(dataDirectory.resolve("index"), 384).build()))
        .secondary(PostgresRecordStore.open(postgres))       // optional: leave out to run without PostgreSQL
        .embedder(new OnnxEmbedder())                        // the bundled local model; no key, no network
        .dataDirectory(dataDirectory)                        // the replication queue lives here
        .build()) {
      store.store(Ability.builder("github-get-user")
          .name("Get GitHub User")
          .service("github")
          .description("Fetches a GitHub user's public profile by username")
          .metadata(Map.of("request_method", "GET", "request_url", "https://api.github.com/users/{username}"))
          .build());

      SearchResult result = store.search(SearchRequest.text("get a GitHub user's profile").withK(3));
      found = result.hits().stream().map(hit -> hit.ability().abilityId()).toList();
    }
    // README: end
    assertThat(found).containsExactly("github-get-user");
  }

  @Test
  void readme_showsTheExampleVerbatim() throws IOException {
    String source = Files.readString(Path.of("src/test/java/dev/abilitystore/integration/ReadmeExampleTest.java"));
    String readme = Files.readString(Path.of("../README.md"));
    String example = source.substring(source.indexOf(START, source.indexOf("void javaApiExample")) + START.length(),
        source.indexOf(END, source.indexOf("void javaApiExample")));
    assertThat(normalised(readme)).contains(normalised(example));
  }

  private static String normalised(String code) {
    return Arrays.stream(code.split("\n")).map(String::strip).filter(line -> !line.isEmpty())
        .collect(Collectors.joining("\n"));
  }
}
