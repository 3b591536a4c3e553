package dev.abilitystore.identity;

import java.util.Comparator;

/**
 * The order every store scans ability ids in: by Unicode code point, which is the order of
 * their UTF-8 bytes — PostgreSQL's {@code COLLATE "C"} and Lucene's term order alike. It differs
 * from {@link String#compareTo} only for characters beyond the Basic Multilingual Plane, and it
 * is what lets the reconciler merge two streams of ids without sorting them.
 */
public final class AbilityIdOrder {
  /** Compares ability ids by code point. */
  public static final Comparator<String> COMPARATOR = AbilityIdOrder::compare;

  private AbilityIdOrder() {}

  /** Compares two ids by code point; negative, zero or positive like {@link Comparator}. */
  public static int compare(String left, String right) {
    int leftIndex = 0;
    int rightIndex = 0;
    while (leftIndex < left.length() && rightIndex < right.length()) {
      int leftCodePoint = left.codePointAt(leftIndex);
      int rightCodePoint = right.codePointAt(rightIndex);
      if (leftCodePoint != rightCodePoint) {
        return Integer.compare(leftCodePoint, rightCodePoint);
      }
      leftIndex += Character.charCount(leftCodePoint);
      rightIndex += Character.charCount(rightCodePoint);
    }
    return Boolean.compare(leftIndex < left.length(), rightIndex < right.length());
  }
}
