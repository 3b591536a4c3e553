package dev.abilitystore.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.Ability;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.json.AbilityJson;
import dev.abilitystore.json.AbilityReader;
import dev.abilitystore.port.EmbedderStamp;
import dev.abilitystore.testing.Abilities;
import dev.abilitystore.testing.InMemoryVectorIndex;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupArchiveTest {
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05.123456Z");
  private static final EmbedderStamp STAMP = new EmbedderStamp("hashing-v1", 8);

  @TempDir
  Path directory;

  private InMemoryVectorIndex index(int count) {
    InMemoryVectorIndex index = new InMemoryVectorIndex(8, InstantSource.fixed(NOW));
    List<Ability> abilities = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      abilities.add(Abilities.full(String.format("ability-%04d", i), 8).withTimestamps(NOW, NOW.plusSeconds(i)));
    }
    index.upsert(abilities);
    return index;
  }

  @Test
  void write_thenRead_givesTheHeaderAndEveryAbilityWithItsEmbeddingAndTimestamps() throws IOException {
    Path file = directory.resolve("catalogue.backup.gz");
    InMemoryVectorIndex index = index(2_500);

    BackupArchive.Header written = BackupArchive.write(index, STAMP, file, NOW, ProgressDisplay.none());

    assertThat(written).isEqualTo(new BackupArchive.Header(STAMP, 2_500, NOW));
    assertThat(BackupArchive.readHeader(file)).isEqualTo(written);
    List<Ability> read = new ArrayList<>();
    try (AbilityReader reader = BackupArchive.abilities(file).opener().get()) {
      reader.forEachRemaining(read::add);
    }
    assertThat(read).hasSize(2_500);
    assertThat(AbilityJson.toJson(read.get(7), true))
        .isEqualTo(AbilityJson.toJson(index.get("ability-0007").orElseThrow(), true));
    assertThat(read.get(7).embedding()).isNotNull();
    assertThat(read.get(7).updatedAt()).isEqualTo(NOW.plusSeconds(7));
    try (var files = Files.list(directory)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void file_isOneGzipStreamOfJsonLines_headerFirst() throws IOException {
    Path file = directory.resolve("b.gz");
    BackupArchive.write(index(3), STAMP, file, NOW, ProgressDisplay.none());

    List<String> lines;
    try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      lines = Arrays.asList(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
    }
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).isEqualTo("{\"format\":\"abilitystore-backup\",\"version\":1,\"embedder\":{\"model\":"
        + "\"hashing-v1\",\"dimension\":8},\"count\":3,\"created_at\":\"2026-01-02T03:04:05.123456Z\"}");
    assertThat(lines.get(1)).startsWith("{\"ability_id\":\"ability-0000\"").contains("\"embedding\":[");
  }

  @Test
  void readHeader_ofAnotherFile_saysItIsNoBackup() throws IOException {
    Path plain = Files.writeString(directory.resolve("plain.json"), "{\"ability_id\":\"x\"}");
    assertThatThrownBy(() -> BackupArchive.readHeader(plain)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is no Ability Store backup: it is not gzip'd");
    Path jsonl = gzip("gz.jsonl.gz", "{\"ability_id\":\"x\"}\n");
    assertThatThrownBy(() -> BackupArchive.readHeader(jsonl))
        .hasMessageContaining("is no Ability Store backup: its header does not say \"format\": \"abilitystore-backup\"");
    assertThatThrownBy(() -> BackupArchive.readHeader(directory.resolve("missing.gz")))
        .hasMessageContaining("no such file");
  }

  @Test
  void readHeader_ofAnotherVersion_saysWhichItReads() throws IOException {
    Path file = gzip("v2.gz", "{\"format\":\"abilitystore-backup\",\"version\":2,\"embedder\":{\"model\":\"m\","
        + "\"dimension\":8},\"count\":0,\"created_at\":\"2026-01-02T03:04:05Z\"}\n");
    assertThatThrownBy(() -> BackupArchive.readHeader(file))
        .hasMessageContaining("is a backup of version 2; this abilitystore reads version 1");
  }

  @Test
  void abilities_ofATruncatedBackup_sayItIsDamaged() throws IOException {
    Path file = directory.resolve("whole.gz");
    BackupArchive.write(index(500), STAMP, file, NOW, ProgressDisplay.none());
    byte[] bytes = Files.readAllBytes(file);
    Path truncated = Files.write(directory.resolve("truncated.gz"), Arrays.copyOf(bytes, bytes.length / 2));

    assertThat(BackupArchive.readHeader(truncated).count()).isEqualTo(500);
    assertThatThrownBy(() -> {
      try (AbilityReader reader = BackupArchive.abilities(truncated).opener().get()) {
        reader.forEachRemaining(ability -> { });
      }
    }).isInstanceOf(InvalidInputException.class).hasMessageContaining("the backup " + truncated + " is damaged");
  }

  private Path gzip(String name, String content) throws IOException {
    Path file = directory.resolve(name);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
    return file;
  }
}
