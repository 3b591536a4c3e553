package dev.abilitystore.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.abilitystore.Ability;
import dev.abilitystore.InvalidInputException;
import dev.abilitystore.Page;
import dev.abilitystore.internal.DurableFiles;
import dev.abilitystore.json.AbilityJson;
import dev.abilitystore.json.AbilityReader;
import dev.abilitystore.port.EmbedderStamp;
import dev.abilitystore.port.VectorIndex;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.jspecify.annotations.Nullable;

/**
 * The portable archive of {@code backup} and {@code restore}: every ability with its embedding
 * and timestamps, independent of the stores that held it, so that it restores into any
 * combination of index and PostgreSQL.
 *
 * <p>The file is gzip'd JSON Lines. The first line is a header, {@code {"format":
 * "abilitystore-backup", "version": 1, "embedder": {"model", "dimension"}, "count": n,
 * "created_at": ...}}; each further line is one ability as {@link AbilityJson} writes it, in
 * ability-id order. The header is its own gzip member, written after the abilities are counted
 * and placed before theirs (a gzip file may hold several members; {@code zcat} and
 * {@link GZIPInputStream} read them as one stream), so that the abilities are streamed once and
 * the count in the header is exact. Thread-safe: it holds no state.
 */
public final class BackupArchive {
  /** The header's {@code format}. */
  public static final String FORMAT = "abilitystore-backup";
  /** The header's {@code version}: the layout this class writes and reads. */
  public static final int VERSION = 1;
  private static final int PAGE_SIZE = 1000;
  private static final int MAX_HEADER_BYTES = 64 << 10;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private BackupArchive() {}

  /**
   * What a backup holds.
   *
   * @param embedder the model and dimension of its vectors
   * @param count how many abilities follow the header
   * @param createdAt when it was written
   */
  public record Header(EmbedderStamp embedder, long count, Instant createdAt) {}

  /**
   * Writes every ability of {@code index}, with its embedding, to {@code file} atomically.
   *
   * @param embedder the stamp of the vectors the index holds
   * @param now the creation time recorded in the header
   * @return the header written
   */
  public static Header write(VectorIndex index, EmbedderStamp embedder, Path file, Instant now,
      ProgressDisplay progress) throws IOException {
    Path body = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".body.tmp");
    try {
      long total = index.count();
      long count = 0;
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(body), 1 << 16)) {
        String after = null;
        while (true) {
          Page<Ability> page = index.scan(after, PAGE_SIZE);
          for (Ability ability : page.items()) {
            out.write(AbilityJson.toJsonBytes(ability, true));
            out.write('\n');
            after = ability.abilityId();
          }
          count += page.items().size();
          progress.update("backing up", count, Math.max(total, count), "abilities", "");
          if (!page.hasNext()) {
            break;
          }
        }
      }
      Header header = new Header(embedder, count, now);
      DurableFiles.write(file, out -> {
        try (GZIPOutputStream member = new GZIPOutputStream(new NonClosing(out))) {
          member.write(headerJson(header).getBytes(StandardCharsets.UTF_8));
          member.write('\n');
        }
        Files.copy(body, out);
      });
      progress.finish("backed up", count, count, "abilities", "");
      return header;
    } finally {
      Files.deleteIfExists(body);
    }
  }

  /**
   * Reads the header of a backup.
   *
   * @throws InvalidInputException if the file is missing, no backup, or of another version
   */
  public static Header readHeader(Path file) {
    try (InputStream in = open(file)) {
      return parseHeader(file, firstLine(file, in));
    } catch (IOException e) {
      throw damaged(file, e);
    }
  }

  /** Returns the abilities of a backup, after its header, as a source that can be read more than once. */
  public static ImportSource abilities(Path file) {
    return new ImportSource(file.toString(), () -> {
      InputStream in = null;
      try {
        in = open(file);
        firstLine(file, in);
        return AbilityReader.of(new DamageReporting(in, file), file.toString());
      } catch (IOException e) {
        closeQuietly(in);
        throw damaged(file, e);
      }
    });
  }

  private static InputStream open(Path file) throws IOException {
    try {
      return new GZIPInputStream(Files.newInputStream(file), 1 << 16);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("no such file: " + file);
    } catch (ZipException | EOFException e) {
      throw new InvalidInputException(file + " is no Ability Store backup: it is not gzip'd (" + e.getMessage() + ")");
    }
  }

  private static String firstLine(Path file, InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(512);
    for (int next = in.read(); next != '\n'; next = in.read()) {
      if (next < 0 || line.size() >= MAX_HEADER_BYTES) {
        throw new InvalidInputException(file + " is no Ability Store backup: it does not start with a header line");
      }
      line.write(next);
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  static String headerJson(Header header) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("format", FORMAT);
    node.put("version", VERSION);
    ObjectNode embedder = node.putObject("embedder");
    embedder.put("model", header.embedder().model());
    embedder.put("dimension", header.embedder().dimension());
    node.put("count", header.count());
    node.put("created_at", AbilityJson.formatTimestamp(header.createdAt()));
    return node.toString();
  }

  static Header parseHeader(Path file, String line) {
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      node = null;
    }
    if (node == null || !FORMAT.equals(node.path("format").asText(null))) {
      throw new InvalidInputException(file + " is no Ability Store backup: its header does not say \"format\": \""
          + FORMAT + "\"");
    }
    if (node.path("version").asInt(-1) != VERSION) {
      throw new InvalidInputException(file + " is a backup of version " + bounded(node.path("version").toString())
          + "; this abilitystore reads version " + VERSION + ": restore it with the abilitystore that wrote it");
    }
    JsonNode embedder = node.path("embedder");
    JsonNode count = node.path("count");
    String model = embedder.path("model").asText("");
    int dimension = embedder.path("dimension").asInt(0);
    if (model.isEmpty() || dimension < 1 || !count.canConvertToLong() || count.asLong() < 0) {
      throw new InvalidInputException(file + " has a damaged header: embedder.model, embedder.dimension and count "
          + "are required");
    }
    Instant createdAt;
    try {
      createdAt = AbilityJson.parseTimestamp(node.path("created_at").asText(""));
    } catch (RuntimeException e) {
      throw new InvalidInputException(file + " has a damaged header: created_at is no timestamp");
    }
    return new Header(new EmbedderStamp(model, dimension), count.asLong(), createdAt);
  }

  private static InvalidInputException damaged(Path file, IOException e) {
    return new InvalidInputException("the backup " + file + " is damaged (" + e.getMessage() + "); nothing was "
        + "restored", e);
  }

  private static void closeQuietly(@Nullable InputStream in) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        // already failing
      }
    }
  }

  private static String bounded(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "..." : text;
  }

  /** Keeps the archive open when the header's gzip member is finished. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      out.write(bytes, offset, length);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  /** Turns a truncated or corrupt gzip stream into an error that says the backup is damaged. */
  private static final class DamageReporting extends java.io.FilterInputStream {
    private final Path file;

    DamageReporting(InputStream in, Path file) {
      super(in);
      this.file = file;
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (ZipException | EOFException e) {
        throw new InvalidInputException(damaged(file, e).getMessage(), e);
      }
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      try {
        return super.read(bytes, offset, length);
      } catch (ZipException | EOFException e) {
        throw new InvalidInputException(damaged(file, e).getMessage(), e);
      }
    }
  }
}
