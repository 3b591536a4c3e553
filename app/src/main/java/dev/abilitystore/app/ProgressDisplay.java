package dev.abilitystore.app;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Shows how far a long job is, on standard error: a bar redrawn in place when it is a terminal,
 * otherwise a plain line at most once a second (logs and scripts read those). Not thread-safe.
 */
public abstract sealed class ProgressDisplay {
  private static final int BAR_WIDTH = 20;
  private static final int MAX_COLUMNS = 79;
  private static final long BAR_INTERVAL_NANOS = 100_000_000L;
  /** Erases the rest of the line (ANSI, understood by every terminal emulator in use). */
  private static final String ERASE_LINE = "\u001b[K";

  private ProgressDisplay() {}

  /** Returns a bar if {@code err} is standard error and a terminal, plain lines otherwise. */
  public static ProgressDisplay on(PrintStream err) {
    return err == System.err && standardErrorIsTerminal() ? bar(err) : lines(err);
  }

  /** Returns a display that prints a line at most once a second, and the last one always. */
  public static ProgressDisplay lines(PrintStream out) {
    return new Lines(out);
  }

  /** Returns a display that redraws one bar in place, and ends it with a plain last line. */
  public static ProgressDisplay bar(PrintStream out) {
    return new Bar(out);
  }

  /** Returns a display that shows nothing. */
  public static ProgressDisplay none() {
    return new Lines(new PrintStream(java.io.OutputStream.nullOutputStream()));
  }

  /**
   * Shows that {@code done} of {@code total} {@code unit} are done.
   *
   * @param verb what is being done, such as {@code importing}
   * @param detail what follows the counts, such as the rate
   */
  public abstract void update(String verb, long done, long total, String unit, String detail);

  /** Shows the last state, always, and ends the display's line. */
  public abstract void finish(String verb, long done, long total, String unit, String detail);

  /** True when this display redraws in place, so that log lines would break it. */
  public abstract boolean redraws();

  static String line(String verb, long done, long total, String unit, String detail) {
    return String.format(Locale.ROOT, "%s %,d/%,d %s (%d%%)%s", verb, done, total, unit, percent(done, total),
        detail.isEmpty() ? "" : ", " + detail);
  }

  private static long percent(long done, long total) {
    return total <= 0 ? 100 : Math.min(100, done * 100 / total);
  }

  /**
   * True when standard error goes to a terminal. The JDK tells whether the process has one
   * ({@code System.console()}, and on Java 22+ {@code Console.isTerminal()}); on Linux,
   * {@code /proc/self/fd/2} says whether standard error itself goes there.
   */
  static boolean standardErrorIsTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = java.io.Console.class.getMethod("isTerminal");
      if (!Boolean.TRUE.equals(isTerminal.invoke(console))) {
        return false;
      }
    } catch (ReflectiveOperationException e) {
      // Java 21: a console is only there for a terminal
    }
    Path standardError = Path.of("/proc/self/fd/2");
    if (!Files.isSymbolicLink(standardError)) {
      return true;
    }
    try {
      String target = Files.readSymbolicLink(standardError).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException e) {
      return true;
    }
  }

  private static final class Lines extends ProgressDisplay {
    private final PrintStream out;
    private final ProgressThrottle throttle = new ProgressThrottle();

    Lines(PrintStream out) {
      this.out = out;
    }

    @Override
    public void update(String verb, long done, long total, String unit, String detail) {
      if (throttle.due(false)) {
        out.println(line(verb, done, total, unit, detail));
      }
    }

    @Override
    public void finish(String verb, long done, long total, String unit, String detail) {
      out.println(line(verb, done, total, unit, detail));
    }

    @Override
    public boolean redraws() {
      return false;
    }
  }

  /**
   * The bar is drawn after erasing the line and followed by a carriage return, so that the cursor
   * waits at the start of the line: a log line printed meanwhile overwrites the bar instead of
   * trailing it, and the next bar is drawn below.
   */
  static final class Bar extends ProgressDisplay {
    private final PrintStream out;
    private long lastDrawn;
    private boolean drawn;

    Bar(PrintStream out) {
      this.out = out;
    }

    @Override
    public void update(String verb, long done, long total, String unit, String detail) {
      long now = System.nanoTime();
      if (drawn && now - lastDrawn < BAR_INTERVAL_NANOS) {
        return;
      }
      lastDrawn = now;
      drawn = true;
      out.print(ERASE_LINE + draw(verb, done, total, unit, detail) + "\r");
      out.flush();
    }

    /**
     * Returns the bar's line, at most {@value #MAX_COLUMNS} columns: a line that wraps on a
     * narrow terminal could not be redrawn in place. The detail loses its last clauses first.
     */
    static String draw(String verb, long done, long total, String unit, String detail) {
      int filled = (int) (BAR_WIDTH * percent(done, total) / 100);
      String bar = String.format(Locale.ROOT, "%s [%s%s] %3d%% %,d/%,d %s", verb, "#".repeat(filled),
          "-".repeat(BAR_WIDTH - filled), percent(done, total), done, total, unit);
      String shown = detail;
      while (!shown.isEmpty() && bar.length() + 2 + shown.length() > MAX_COLUMNS) {
        int cut = Math.max(shown.lastIndexOf(", "), shown.lastIndexOf(": "));
        shown = cut < 0 ? "" : shown.substring(0, cut);
      }
      return shown.isEmpty() ? bar : bar + ", " + shown;
    }

    @Override
    public void finish(String verb, long done, long total, String unit, String detail) {
      out.println(ERASE_LINE + line(verb, done, total, unit, detail));
    }

    @Override
    public boolean redraws() {
      return true;
    }
  }
}
