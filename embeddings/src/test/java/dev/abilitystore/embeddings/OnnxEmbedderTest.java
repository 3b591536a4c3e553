package dev.abilitystore.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.Ability;
import dev.abilitystore.Embedding;
import dev.abilitystore.embed.AbilityText;
import dev.abilitystore.sample.SampleCatalogue;
import dev.abilitystore.testing.Vectors;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class OnnxEmbedderTest {
  private static final OnnxEmbedder embedder = new OnnxEmbedder();

  @AfterAll
  static void close() {
    embedder.close();
  }

  @Test
  void embed_isDeterministicUnitLengthAnd384Dimensions() {
    Embedding first = embedder.embedDocuments(List.of("Fetch a GitHub user's public profile")).get(0);
    Embedding again = embedder.embedDocuments(List.of("Fetch a GitHub user's public profile")).get(0);
    assertThat(embedder.dimension()).isEqualTo(384);
    assertThat(first.dimension()).isEqualTo(384);
    assertThat(again).isEqualTo(first);
    assertThat(first.norm()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
  }

  @Test
  void embedDocuments_batch_equalsOneByOne() {
    List<String> texts = List.of("short", "a somewhat longer text about creating Stripe customers",
        "List the repositories of a GitHub organisation, with pagination and sorting by stars", "");
    List<Embedding> batch = embedder.embedDocuments(texts);
    for (int i = 0; i < texts.size(); i++) {
      float[] single = embedder.embedDocuments(List.of(texts.get(i))).get(0).toArray();
      assertThat(batch.get(i).toArray()).as("text %d", i).containsExactly(single);
    }
  }

  @Test
  void embedQuery_carriesTheInstructionPrefix() {
    float[] query = embedder.embedQuery("github user").toArray();
    float[] document = embedder.embedDocuments(List.of("github user")).get(0).toArray();
    float[] prefixed = embedder.embedDocuments(List.of(OnnxEmbedder.QUERY_PREFIX + "github user")).get(0).toArray();
    assertThat(Vectors.cosine(query, prefixed)).isGreaterThan(0.9999);
    assertThat(Vectors.cosine(query, document)).isLessThan(0.9999);
  }

  @Test
  void sampleCatalogue_githubUserProfileQuery_findsTheGithubUserAbilityInTheTop3() {
    List<Ability> abilities = SampleCatalogue.load();
    List<Embedding> embeddings = embedder.embedDocuments(abilities.stream().map(AbilityText::of).toList());
    float[] query = embedder.embedQuery("get a GitHub user's profile").toArray();
    List<String> top3 = java.util.stream.IntStream.range(0, abilities.size()).boxed()
        .sorted(Comparator.comparingDouble(i -> -Vectors.cosine(query, embeddings.get(i).toArray())))
        .limit(3).map(i -> abilities.get(i).abilityId()).toList();
    assertThat(top3).contains("github-get-user");
  }
}
