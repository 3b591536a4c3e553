package dev.abilitystore.app.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table with aligned columns; numeric columns are right-aligned. Not thread-safe. */
final class TextTable {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();
  private final int maxWidth;

  TextTable(int maxWidth, String... headers) {
    this.headers = List.of(headers);
    this.maxWidth = maxWidth;
  }

  TextTable row(Object... values) {
    List<String> row = new ArrayList<>();
    for (Object value : values) {
      String text = String.valueOf(value).replaceAll("\\p{Cntrl}", " ");
      row.add(text.length() > maxWidth ? text.substring(0, maxWidth - 1) + "…" : text);
    }
    rows.add(row);
    return this;
  }

  void print(PrintStream out) {
    int[] widths = new int[headers.size()];
    boolean[] numeric = new boolean[headers.size()];
    for (int column = 0; column < headers.size(); column++) {
      widths[column] = headers.get(column).length();
      numeric[column] = !rows.isEmpty();
      for (List<String> row : rows) {
        widths[column] = Math.max(widths[column], row.get(column).length());
        numeric[column] &= row.get(column).matches("[\\d,]+");
      }
    }
    printRow(out, headers, widths, numeric);
    rows.forEach(row -> printRow(out, row, widths, numeric));
  }

  private static void printRow(PrintStream out, List<String> cells, int[] widths, boolean[] numeric) {
    StringBuilder line = new StringBuilder();
    for (int column = 0; column < cells.size(); column++) {
      String cell = cells.get(column);
      String padding = " ".repeat(widths[column] - cell.length());
      boolean last = column == cells.size() - 1;
      line.append(numeric[column] ? padding + cell : last ? cell : cell + padding);
      if (!last) {
        line.append("  ");
      }
    }
    out.println(line.toString().stripTrailing());
  }
}
