package dev.abilitystore.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Deep, immutable copies of JSON-like values (maps, lists, strings, numbers, booleans, null).
 *
 * <p>Numbers are normalised so that the same number read from any source compares equal and
 * hashes alike: integral values become {@link Long} (or {@link BigInteger} beyond its range),
 * other finite values a {@link BigDecimal} without trailing zeros. {@code 1}, {@code 1.0} and
 * {@code 1e0} are all {@code 1L}. NaN and infinities are kept as {@link Double} so that
 * validation can name them; they never reach a store.
 */
public final class JsonValues {
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private JsonValues() {}

  /**
   * Returns an unmodifiable deep copy of {@code map} with normalised numbers; a map this class
   * made is returned as it is, since it is deeply immutable already.
   */
  @SuppressWarnings("unchecked")
  public static Map<String, @Nullable Object> immutableCopy(Map<String, ? extends @Nullable Object> map) {
    if (map instanceof FrozenMap frozen) {
      return (Map<String, @Nullable Object>) (Map<String, ?>) frozen;
    }
    Map<String, @Nullable Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
    for (Map.Entry<String, ? extends @Nullable Object> entry : map.entrySet()) {
      String key = entry.getKey();
      if (key == null) {
        throw new IllegalArgumentException("metadata keys must not be null");
      }
      copy.put(key, immutableValue(entry.getValue()));
    }
    return new FrozenMap(copy);
  }

  /**
   * Wraps a map whose values are already immutable JSON values (a parser's output) without
   * copying it; the caller hands over the map and its values.
   */
  public static Map<String, @Nullable Object> freeze(Map<String, @Nullable Object> normalised) {
    return new FrozenMap(normalised);
  }

  /** Wraps a list whose elements are already immutable JSON values, without copying it. */
  public static List<@Nullable Object> freeze(List<@Nullable Object> normalised) {
    return new FrozenList(normalised);
  }

  /**
   * Returns an unmodifiable deep copy of a JSON-like value.
   *
   * @throws IllegalArgumentException if the value (or a nested one) is not a JSON type
   */
  @SuppressWarnings("unchecked")
  public static @Nullable Object immutableValue(@Nullable Object value) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Number number) {
      return normalizeNumber(number);
    }
    if (value instanceof Map<?, ?> map) {
      for (Object key : map.keySet()) {
        if (!(key instanceof String)) {
          throw new IllegalArgumentException("map keys must be strings, found " + typeName(key));
        }
      }
      return immutableCopy((Map<String, ?>) map);
    }
    if (value instanceof FrozenList) {
      return value;
    }
    if (value instanceof List<?> list) {
      List<@Nullable Object> copy = new ArrayList<>(list.size());
      for (Object element : list) {
        copy.add(immutableValue(element));
      }
      return new FrozenList(copy);
    }
    throw new IllegalArgumentException(
        "unsupported value type " + typeName(value) + " (use strings, numbers, booleans, lists and maps)");
  }

  /** Returns the canonical form of a number, as described in the class comment. */
  public static Number normalizeNumber(Number number) {
    if (number instanceof Long || number instanceof Integer || number instanceof Short || number instanceof Byte) {
      return number.longValue();
    }
    if ((number instanceof Double || number instanceof Float) && !Double.isFinite(number.doubleValue())) {
      return number.doubleValue();
    }
    BigDecimal decimal = toBigDecimal(number);
    if (decimal.signum() == 0) {
      return 0L;
    }
    BigDecimal stripped = decimal.stripTrailingZeros();
    if (stripped.scale() <= 0 && stripped.precision() - stripped.scale() <= 400) {
      BigInteger integer = stripped.toBigIntegerExact();
      if (integer.compareTo(LONG_MIN) >= 0 && integer.compareTo(LONG_MAX) <= 0) {
        return integer.longValue();
      }
      return integer;
    }
    return stripped;
  }

  private static BigDecimal toBigDecimal(Number number) {
    if (number instanceof BigDecimal decimal) {
      return decimal;
    }
    if (number instanceof BigInteger integer) {
      return new BigDecimal(integer);
    }
    if (number instanceof Double || number instanceof Float) {
      // Float.toString and Double.toString give the shortest decimal that round-trips.
      return new BigDecimal(number instanceof Float f ? Float.toString(f) : Double.toString(number.doubleValue()));
    }
    return new BigDecimal(number.toString());
  }

  /** A deeply immutable map: made only here, from values that are immutable themselves. */
  private static final class FrozenMap extends AbstractMap<String, @Nullable Object> {
    private final Map<String, @Nullable Object> entries;

    FrozenMap(Map<String, @Nullable Object> entries) {
      this.entries = Collections.unmodifiableMap(entries);
    }

    @Override
    public Set<Map.Entry<String, @Nullable Object>> entrySet() {
      return entries.entrySet();
    }

    @Override
    public @Nullable Object get(Object key) {
      return entries.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return entries.containsKey(key);
    }

    @Override
    public int size() {
      return entries.size();
    }
  }

  /** A deeply immutable list: made only here, from values that are immutable themselves. */
  private static final class FrozenList extends AbstractList<@Nullable Object> implements RandomAccess {
    private final List<@Nullable Object> elements;

    FrozenList(List<@Nullable Object> elements) {
      this.elements = elements;
    }

    @Override
    public @Nullable Object get(int index) {
      return elements.get(index);
    }

    @Override
    public int size() {
      return elements.size();
    }
  }

  private static String typeName(@Nullable Object value) {
    return value == null ? "null" : value.getClass().getName();
  }
}
