package dev.abilitystore.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The report's sections as Markdown tables, one column per key in the order the rows first use
 * them: what {@code docs/benchmarks.md} pastes, so its tables are the run's own output.
 */
final class BenchMarkdown {
  private BenchMarkdown() {}

  static void write(BenchReport report, List<String> sections, Path file) throws IOException {
    StringBuilder markdown = new StringBuilder();
    for (String section : sections) {
      List<Map<String, ?>> rows = report.rows(section);
      if (rows.isEmpty()) {
        continue;
      }
      markdown.append("### ").append(section).append("\n\n");
      table(markdown, rows);
      markdown.append('\n');
    }
    Files.writeString(file, markdown);
  }

  private static void table(StringBuilder markdown, List<Map<String, ?>> rows) {
    Set<String> columns = new LinkedHashSet<>();
    rows.forEach(row -> columns.addAll(row.keySet()));
    markdown.append("| ").append(String.join(" | ", columns)).append(" |\n");
    markdown.append("|").append("---|".repeat(columns.size())).append('\n');
    for (Map<String, ?> row : rows) {
      markdown.append('|');
      for (String column : columns) {
        markdown.append(' ').append(cell(row.get(column))).append(" |");
      }
      markdown.append('\n');
    }
  }

  private static String cell(@org.jspecify.annotations.Nullable Object value) {
    if (value == null) {
      return "–";
    }
    if (value instanceof Double || value instanceof Float) {
      double number = ((Number) value).doubleValue();
      if (Double.isNaN(number)) {
        return "–";
      }
      double magnitude = Math.abs(number);
      return magnitude >= 100 ? String.format(Locale.ROOT, "%,.0f", number)
          : magnitude >= 10 ? String.format(Locale.ROOT, "%.1f", number)
          : String.format(Locale.ROOT, "%.3f", number);
    }
    if (value instanceof Long || value instanceof Integer) {
      return String.format(Locale.ROOT, "%,d", ((Number) value).longValue());
    }
    return String.valueOf(value).replace("|", "\\|").replace("\n", " ");
  }
}
