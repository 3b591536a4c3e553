package dev.abilitystore.app.cli;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.Page;
import dev.abilitystore.internal.DurableFiles;
import dev.abilitystore.json.AbilityJson;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Writes every ability out, in a format {@code import} reads back. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Write every ability, in ability-id order, as the original system's export "
        + "{\"success\": true, \"abilities\": [...], \"count\": n} (json, the default) or as JSON Lines (jsonl); "
        + "'import' reads both back.",
        "Streams page by page, so memory stays bounded whatever the catalogue's size. With --output the file "
            + "appears only when it is complete. With --url, exports what that server holds."},
    footer = ExitCodes.FOOTER)
final class ExportCommand extends BaseCommand implements Callable<Integer> {
  private static final byte[] NEW_LINE = {'\n'};

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json", converter = FormatConverter.class,
      description = "json or jsonl (default ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--include-embedding", description = "Include each ability's embedding vector.")
  boolean includeEmbedding;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
  @Nullable Path output;

  /** The formats of {@code --format}. */
  enum Format { JSON, JSONL }

  @Override
  public Integer call() throws IOException {
    try (Catalogue catalogue = openCatalogue()) {
      long count;
      if (output == null) {
        OutputStream out = new BufferedOutputStream(out(), 1 << 16);
        count = write(catalogue, out);
        out.flush();
      } else {
        long[] written = new long[1];
        DurableFiles.write(output, out -> written[0] = write(catalogue, out));
        count = written[0];
      }
      err().printf("exported %,d abilities%s%s%n", count, output == null ? "" : " to " + output,
          includeEmbedding ? " with their embeddings" : "");
      return ExitCodes.OK;
    }
  }

  private long write(Catalogue catalogue, OutputStream out) throws IOException {
    if (format == Format.JSON) {
      out.write("{\"success\":true,\"abilities\":[".getBytes(StandardCharsets.UTF_8));
    }
    long count = 0;
    AbilityQuery query = AbilityQuery.firstPage(AbilityFilter.ALL, AbilityQuery.MAX_LIMIT);
    while (true) {
      Page<Ability> page = catalogue.query(query, includeEmbedding);
      for (Ability ability : page.items()) {
        if (format == Format.JSON) {
          out.write((count == 0 ? "\n" : ",\n").getBytes(StandardCharsets.UTF_8));
        }
        out.write(AbilityJson.toJsonBytes(ability, includeEmbedding));
        if (format == Format.JSONL) {
          out.write(NEW_LINE);
        }
        count++;
      }
      if (!page.hasNext()) {
        break;
      }
      query = query.next(page.nextCursor());
    }
    if (format == Format.JSON) {
      out.write(("\n],\"count\":" + count + "}\n").getBytes(StandardCharsets.UTF_8));
    }
    return count;
  }

  /** Reads {@code json} or {@code jsonl}, any case. */
  static final class FormatConverter implements ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      try {
        return Format.valueOf(value.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("must be json or jsonl, was '"
            + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'");
      }
    }
  }
}
