package dev.abilitystore;

/**
 * A store holds vectors of one dimension and was asked to work with another: opened with a
 * different configuration, or given a vector of the wrong size. The message says how to fix it.
 */
public class DimensionMismatchException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private final int expected;
  private final int actual;

  public DimensionMismatchException(int expected, int actual, String message) {
    super(message);
    this.expected = expected;
    this.actual = actual;
  }

  /** Returns the dimension the store holds. */
  public int expected() {
    return expected;
  }

  /** Returns the dimension it was given. */
  public int actual() {
    return actual;
  }
}
