package dev.abilitystore.port;

/**
 * Whether a store can serve, and why not.
 *
 * @param status up, down, or disabled by configuration
 * @param detail what was checked or what failed, for {@code /ready} and logs
 */
public record Health(Status status, String detail) {
  /** The state of a store. */
  public enum Status { UP, DOWN, DISABLED }

  public static Health up(String detail) {
    return new Health(Status.UP, detail);
  }

  public static Health down(String detail) {
    return new Health(Status.DOWN, detail);
  }

  public static Health disabled(String detail) {
    return new Health(Status.DISABLED, detail);
  }

  public boolean isUp() {
    return status == Status.UP;
  }
}
