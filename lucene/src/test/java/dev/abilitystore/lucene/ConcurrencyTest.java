package dev.abilitystore.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.port.SearchMode;
import dev.abilitystore.port.VectorSearch;
import dev.abilitystore.testing.Abilities;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readers and writers at once: no errors, and a write is visible the moment its call returns. */
class ConcurrencyTest {
  private static final int DIMENSION = 16;
  private static final int WRITERS = 4;
  private static final int WRITES_PER_WRITER = 40;

  @TempDir
  Path directory;

  @Test
  void concurrentReadersAndWriters_seeEveryAcknowledgedWrite() throws Exception {
    try (LuceneVectorIndex index = LuceneVectorIndex.open(LuceneConfig.builder(directory, DIMENSION).build());
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 3)) {
      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicLong reads = new AtomicLong();
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        writers.add(pool.submit(() -> {
          for (int i = 0; i < WRITES_PER_WRITER; i++) {
            String id = "w" + writer + "-" + i;
            index.upsert(List.of(Abilities.simple(id, "s" + writer, i % 2 == 0, DIMENSION)));
            assertThat(index.get(id)).as("visible when upsert returns: %s", id).isPresent();
            assertThat(index.search(new VectorSearch(Abilities.vector(id, DIMENSION), null, 1, SearchMode.VECTOR,
                AbilityFilter.builder().service("s" + writer).build())).get(0).ability().abilityId()).isEqualTo(id);
          }
          return null;
        }));
      }
      List<Future<?>> readers = new ArrayList<>();
      for (int r = 0; r < 3; r++) {
        readers.add(pool.submit(() -> {
          while (writing.get()) {
            index.search(new VectorSearch(Abilities.vector("any", DIMENSION), "ability", 10, SearchMode.HYBRID,
                AbilityFilter.ALL)).forEach(hit -> assertThat(hit.score()).isBetween(0.0, 1.0));
            index.query(AbilityQuery.firstPage(AbilityFilter.builder().publicOnly().build(), 20));
            index.serviceCounts();
            reads.incrementAndGet();
          }
          return null;
        }));
      }
      for (Future<?> writer : writers) {
        writer.get();
      }
      writing.set(false);
      for (Future<?> reader : readers) {
        reader.get();
      }
      assertThat(index.count()).isEqualTo(WRITERS * WRITES_PER_WRITER);
      assertThat(reads.get()).isPositive();
    }
  }
}
