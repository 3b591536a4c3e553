package dev.abilitystore.fuzz;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * The knobs of a fuzz run, from system properties (Maven passes {@code -D} properties on to the
 * tests):
 *
 * <ul>
 *   <li>{@code fuzz.seed}: the seed of every random choice (default {@value #DEFAULT_SEED});
 *       {@code random} picks one, which the summary prints;
 *   <li>{@code fuzz.inputs}: how many generated inputs a suite tries beyond its fixed corpus
 *       (each suite has its own default, sized for CI);
 *   <li>{@code fuzz.only}: the number of one input to try alone, as a failure names it;
 *   <li>{@code fuzz.timeoutSeconds}: how long one input may take before it counts as a hang
 *       (default {@value #DEFAULT_TIMEOUT_SECONDS});
 * </ul>
 *
 * Input {@code i} is generated from its own random stream, {@link #random(long)}, so that it is
 * the same whatever the number of inputs and can be reproduced alone.
 */
public final class FuzzSettings {
  public static final long DEFAULT_SEED = 20_260_101L;
  public static final int DEFAULT_TIMEOUT_SECONDS = 10;

  private final long seed;
  private final int inputs;
  private final @Nullable Long only;
  private final Duration timeout;

  private FuzzSettings(long seed, int inputs, @Nullable Long only, Duration timeout) {
    this.seed = seed;
    this.inputs = inputs;
    this.only = only;
    this.timeout = timeout;
  }

  /** Reads the settings; {@code defaultInputs} when {@code fuzz.inputs} is not set. */
  public static FuzzSettings fromSystemProperties(int defaultInputs) {
    String seedText = property("fuzz.seed");
    long seed = seedText == null ? DEFAULT_SEED
        : seedText.equalsIgnoreCase("random") ? ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)
        : Long.parseLong(seedText);
    String inputsText = property("fuzz.inputs");
    int inputs = inputsText == null ? defaultInputs : Integer.parseInt(inputsText);
    String onlyText = property("fuzz.only");
    String timeoutText = property("fuzz.timeoutSeconds");
    Duration timeout = Duration.ofSeconds(timeoutText == null ? DEFAULT_TIMEOUT_SECONDS : Long.parseLong(timeoutText));
    return new FuzzSettings(seed, inputs, onlyText == null ? null : Long.parseLong(onlyText), timeout);
  }

  private static @Nullable String property(String name) {
    String value = System.getProperty(name);
    // an unset Maven property arrives as its own ${...} text, or empty
    return value == null || value.isBlank() || value.startsWith("${") ? null : value.strip();
  }

  public long seed() {
    return seed;
  }

  public int inputs() {
    return inputs;
  }

  public Duration timeout() {
    return timeout;
  }

  /** True when {@code fuzz.only} names one input. */
  public boolean single() {
    return only != null;
  }

  /**
   * The numbers of a run's inputs from {@code first}: {@code count} of them, or, when
   * {@code fuzz.only} names one in {@code [first, first + space)}, that one alone (whatever the
   * count of the run that found it).
   */
  public java.util.stream.LongStream numbers(long first, long count, long space) {
    if (only != null) {
      return only >= first && only < first + space ? java.util.stream.LongStream.of(only)
          : java.util.stream.LongStream.empty();
    }
    return java.util.stream.LongStream.range(first, first + count);
  }

  /** The random stream of input {@code number}, independent of every other input's. */
  public SplittableRandom random(long number) {
    return new SplittableRandom(mix(seed ^ mix(number + 0x9E3779B97F4A7C15L)));
  }

  /** How to try input {@code number} again alone, for failure messages. */
  public String reproduce(String command, long number) {
    return command + " -Dfuzz.seed=" + seed + " -Dfuzz.only=" + number;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
