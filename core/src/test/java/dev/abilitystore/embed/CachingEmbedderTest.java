package dev.abilitystore.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.Embedding;
import dev.abilitystore.port.Embedder;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachingEmbedderTest {

  @Test
  void embedQuery_repeatedText_callsTheModelOnce() {
    AtomicInteger calls = new AtomicInteger();
    Embedder counting = new Embedder() {
      private final HashingEmbedder delegate = new HashingEmbedder(8);

      @Override
      public String model() {
        return "counting";
      }

      @Override
      public int dimension() {
        return 8;
      }

      @Override
      public List<Embedding> embedDocuments(List<String> texts) {
        calls.addAndGet(texts.size());
        return delegate.embedDocuments(texts);
      }
    };
    CachingEmbedder cache = new CachingEmbedder(counting, 100);

    Embedding first = cache.embedQuery("weather in Paris");
    assertThat(cache.embedQuery("weather in Paris")).isEqualTo(first);
    cache.embedQuery("weather in Rome");

    assertThat(calls.get()).isEqualTo(2);
    assertThat(cache.stats().hitCount()).isOne();
    cache.embedDocuments(List.of("a", "a"));
    assertThat(calls.get()).isEqualTo(4);
  }
}
