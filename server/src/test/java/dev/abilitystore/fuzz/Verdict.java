package dev.abilitystore.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * What a model says an input is: valid (it must be accepted), invalid (it must be refused with
 * a 4xx and change nothing), too large (413), or unknown (the model does not decide: anything
 * but a 5xx or a hang will do, and a refusal must still change nothing). Collects the reasons,
 * for failure messages. Not thread-safe.
 */
public final class Verdict {
  /** The kinds of verdict, from the mildest to the strongest. */
  public enum Kind { VALID, UNKNOWN, INVALID, TOO_LARGE }

  private Kind kind = Kind.VALID;
  private final List<String> reasons = new ArrayList<>();

  public static Verdict valid() {
    return new Verdict();
  }

  public static Verdict of(Kind kind, String reason) {
    Verdict verdict = new Verdict();
    verdict.add(kind, reason);
    return verdict;
  }

  /** Records a reason; the verdict becomes the stronger of its kind and {@code kind}. */
  public Verdict add(Kind kind, String reason) {
    if (kind.ordinal() > this.kind.ordinal()) {
      this.kind = kind;
    }
    if (kind != Kind.VALID && reasons.size() < 10) {
      reasons.add(reason);
    }
    return this;
  }

  public Verdict invalid(String reason) {
    return add(Kind.INVALID, reason);
  }

  public Verdict unknown(String reason) {
    return add(Kind.UNKNOWN, reason);
  }

  /** Takes over the kind and reasons of {@code other}. */
  public Verdict merge(Verdict other) {
    for (String reason : other.reasons) {
      add(other.kind, reason);
    }
    if (other.kind.ordinal() > kind.ordinal()) {
      kind = other.kind;
    }
    return this;
  }

  public Kind kind() {
    return kind;
  }

  public boolean isValid() {
    return kind == Kind.VALID;
  }

  public List<String> reasons() {
    return reasons;
  }

  @Override
  public String toString() {
    return reasons.isEmpty() ? kind.name() : kind + " " + reasons;
  }
}
