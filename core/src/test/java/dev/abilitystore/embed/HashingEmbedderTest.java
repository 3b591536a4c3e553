package dev.abilitystore.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.Embedding;
import java.util.List;
import org.junit.jupiter.api.Test;

class HashingEmbedderTest {
  private final HashingEmbedder embedder = new HashingEmbedder(384);

  private static double cosine(Embedding left, Embedding right) {
    double dot = 0;
    for (int i = 0; i < left.dimension(); i++) {
      dot += left.get(i) * right.get(i);
    }
    return dot / (left.norm() * right.norm());
  }

  @Test
  void embed_sameText_sameVector_unitLength() {
    Embedding first = embedder.embedQuery("Get a GitHub user");
    assertThat(embedder.embedQuery("Get a GitHub user")).isEqualTo(first);
    assertThat(first.dimension()).isEqualTo(384);
    assertThat(first.norm()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
  }

  @Test
  void embedDocuments_batch_equalsOneByOne() {
    List<String> texts = List.of("create a customer", "list repositories", "");
    assertThat(embedder.embedDocuments(texts)).containsExactly(embedder.embedQuery(texts.get(0)),
        embedder.embedQuery(texts.get(1)), embedder.embedQuery(texts.get(2)));
  }

  @Test
  void embed_textsSharingWords_areCloserThanUnrelatedOnes() {
    Embedding query = embedder.embedQuery("github user profile");
    assertThat(cosine(query, embedder.embedQuery("Get GitHub User: fetches the profile of a user")))
        .isGreaterThan(cosine(query, embedder.embedQuery("Create a Stripe payment intent")));
  }

  @Test
  void tokens_splitCamelCaseSnakeCaseAndHosts() {
    assertThat(HashingEmbedder.tokens("getUserProfile api.github.com list_repos"))
        .containsExactly("get", "user", "profile", "api", "github", "com", "list", "repos");
  }

  @Test
  void murmur3_matchesReferenceVectors() {
    assertThat(HashingEmbedder.murmur3(new byte[0])).isZero();
    assertThat(HashingEmbedder.murmur3("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isEqualTo(0x248bfa47);
    assertThat(HashingEmbedder.murmur3("The quick brown fox jumps over the lazy dog"
        .getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(0x2e4ff723);
  }
}
