package dev.abilitystore.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressDisplayTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void lines_throttleUpdates_andAlwaysPrintTheLastLine() {
    ProgressDisplay lines = ProgressDisplay.lines(out);
    lines.update("importing", 10, 100, "abilities", "5/s");
    lines.update("importing", 20, 100, "abilities", "5/s");
    lines.finish("imported", 100, 100, "abilities", "7/s");

    assertThat(printed()).isEqualTo("imported 100/100 abilities (100%), 7/s" + System.lineSeparator());
    assertThat(lines.redraws()).isFalse();
  }

  @Test
  void bar_redrawsInPlace_andEndsWithAPlainLine() {
    ProgressDisplay bar = ProgressDisplay.bar(out);
    bar.update("importing", 1_500, 3_000, "abilities", "856/s: 1,500 inserted, 0 updated, 0 unchanged");
    bar.finish("imported", 3_000, 3_000, "abilities", "1,231/s");

    assertThat(printed()).isEqualTo("\u001b[Kimporting [##########----------]  50% 1,500/3,000 abilities, 856/s\r"
        + "\u001b[Kimported 3,000/3,000 abilities (100%), 1,231/s" + System.lineSeparator());
    assertThat(bar.redraws()).isTrue();
  }

  @Test
  void bar_fitsEightyColumns_droppingTheDetailsLastClausesFirst() {
    String line = ProgressDisplay.Bar.draw("restoring", 1_234_567, 9_876_543, "abilities",
        "12,345/s: 1,234,567 inserted, 0 updated, 0 unchanged");
    assertThat(line).hasSizeLessThanOrEqualTo(79).startsWith("restoring [##------------------]  12% 1,234,567/9,876,543 "
        + "abilities");
  }

  @Test
  void on_aStreamOtherThanStandardError_printsLines() {
    assertThat(ProgressDisplay.on(out).redraws()).isFalse();
  }
}
