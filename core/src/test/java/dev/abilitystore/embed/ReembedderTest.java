package dev.abilitystore.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.Ability;
import dev.abilitystore.Embedding;
import dev.abilitystore.port.Embedder;
import dev.abilitystore.testing.Abilities;
import dev.abilitystore.testing.InMemoryVectorIndex;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReembedderTest {
  private static final Instant CREATED = Instant.parse("2025-01-02T03:04:05.123456Z");

  @TempDir Path directory;
  private final InMemoryVectorIndex source = new InMemoryVectorIndex(8, InstantSource.system());
  private final InMemoryVectorIndex target = new InMemoryVectorIndex(12, InstantSource.system());
  private final HashingEmbedder newModel = new HashingEmbedder(12);

  private void fillSource(int count) {
    List<Ability> abilities = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      abilities.add(Abilities.simple(String.format("ability-%04d", i), "github", i % 2 == 0, 8)
          .withTimestamps(CREATED, CREATED));
    }
    source.upsert(abilities);
  }

  @Test
  void run_reembedsEveryAbilityKeepingTheRest() {
    fillSource(250);

    Reembedder.Report report = new Reembedder(source, target, newModel, directory.resolve("checkpoint"), 100)
        .run(Reembedder.Progress.NONE);

    assertThat(report.reembedded()).isEqualTo(250);
    assertThat(target.count()).isEqualTo(250);
    Ability before = source.get("ability-0007").orElseThrow();
    Ability after = target.get("ability-0007").orElseThrow();
    assertThat(after.embedding()).isEqualTo(newModel.embedDocuments(List.of(AbilityText.of(before))).get(0));
    assertThat(after.withEmbedding(null)).isEqualTo(before.withEmbedding(null));
  }

  @Test
  void run_interrupted_resumesWhereItStopped() {
    fillSource(250);
    AtomicInteger batches = new AtomicInteger();
    Embedder failingOnThirdBatch = new Embedder() {
      @Override
      public String model() {
        return newModel.model();
      }

      @Override
      public int dimension() {
        return newModel.dimension();
      }

      @Override
      public List<Embedding> embedDocuments(List<String> texts) {
        if (batches.incrementAndGet() == 3) {
          throw new IllegalStateException("the model crashed");
        }
        return newModel.embedDocuments(texts);
      }
    };
    Path checkpoint = directory.resolve("checkpoint");
    assertThatThrownBy(() -> new Reembedder(source, target, failingOnThirdBatch, checkpoint, 100)
        .run(Reembedder.Progress.NONE)).hasMessageContaining("crashed");
    assertThat(target.count()).isEqualTo(200);

    List<Long> progress = new ArrayList<>();
    Reembedder.Report resumed = new Reembedder(source, target, newModel, checkpoint, 100)
        .run((done, total) -> progress.add(done));

    assertThat(resumed.resumedAfter()).isEqualTo("ability-0199");
    assertThat(resumed.reembedded()).isEqualTo(50);
    assertThat(progress).containsExactly(250L);
    assertThat(target.count()).isEqualTo(250);
  }

  @Test
  void run_checkpointOfAnotherModel_startsOver() {
    fillSource(30);
    Path checkpoint = directory.resolve("checkpoint");
    new Reembedder(source, target, renamed(newModel, "another-model"), checkpoint, 10).run(Reembedder.Progress.NONE);

    Reembedder.Report report = new Reembedder(source, target, newModel, checkpoint, 10).run(Reembedder.Progress.NONE);

    assertThat(report.resumedAfter()).isNull();
    assertThat(report.reembedded()).isEqualTo(30);
  }

  private static Embedder renamed(Embedder delegate, String model) {
    return new Embedder() {
      @Override
      public String model() {
        return model;
      }

      @Override
      public int dimension() {
        return delegate.dimension();
      }

      @Override
      public List<Embedding> embedDocuments(List<String> texts) {
        return delegate.embedDocuments(texts);
      }
    };
  }
}
