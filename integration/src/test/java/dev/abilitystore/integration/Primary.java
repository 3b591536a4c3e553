package dev.abilitystore.integration;

import dev.abilitystore.infraxa.IdSource;
import dev.abilitystore.infraxa.InfraxaConfig;
import dev.abilitystore.infraxa.InfraxaVectorIndex;
import dev.abilitystore.lucene.LuceneConfig;
import dev.abilitystore.lucene.LuceneVectorIndex;
import dev.abilitystore.port.VectorIndex;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The primary store of a dual-store test: Lucene on disk, or Infraxa (a {@code FakeInfraxa}) over HTTP. */
enum Primary {
  LUCENE {
    @Override
    VectorIndex open(Path dataDirectory, String embedderModel, IdSource postgresIds, @Nullable URI infraxa) {
      return LuceneVectorIndex.open(LuceneConfig.builder(dataDirectory.resolve("index"), DualStore.DIMENSION)
          .embedderModel(embedderModel).build());
    }
  },
  INFRAXA {
    @Override
    VectorIndex open(Path dataDirectory, String embedderModel, IdSource postgresIds, @Nullable URI infraxa) {
      return InfraxaVectorIndex.open(InfraxaConfig.builder(Objects.requireNonNull(infraxa, "the fake's URL"),
          DualStore.DIMENSION)
          .tenant(tenant(dataDirectory))
          .retries(3, Duration.ofMillis(20), Duration.ofMillis(200))
          .build(), postgresIds);
    }
  };

  /**
   * Opens the primary for the store in {@code dataDirectory}. Infraxa's workspace is named after
   * the data directory, so that tests sharing one fake keep apart while a restarted store (or a
   * child JVM) over the same directory finds what was written before.
   */
  abstract VectorIndex open(Path dataDirectory, String embedderModel, IdSource postgresIds, @Nullable URI infraxa);

  static String tenant(Path dataDirectory) {
    return "it_" + Integer.toUnsignedString(dataDirectory.toAbsolutePath().normalize().toString().hashCode(), 36);
  }
}
