package dev.abilitystore;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Structured conditions on abilities; every condition that is set must hold.
 *
 * @param serviceNames the ability's service is one of these (any service when empty)
 * @param dynamicHeadersRequired requires credentials ({@code true}), is public ({@code false}),
 *     or either ({@code null})
 * @param textContains case-insensitive substring of the name or the description, or null
 * @param createdFrom created at or after, or null
 * @param createdBefore created strictly before, or null
 * @param updatedFrom updated at or after, or null
 * @param updatedBefore updated strictly before, or null
 */
public record AbilityFilter(
    Set<String> serviceNames,
    @Nullable Boolean dynamicHeadersRequired,
    @Nullable String textContains,
    @Nullable Instant createdFrom,
    @Nullable Instant createdBefore,
    @Nullable Instant updatedFrom,
    @Nullable Instant updatedBefore) {

  /** The filter that every ability passes. */
  public static final AbilityFilter ALL = builder().build();

  public AbilityFilter {
    serviceNames = Set.copyOf(serviceNames);
    if (textContains != null && textContains.isEmpty()) {
      textContains = null;
    }
    if (textContains != null && textContains.indexOf('\u0000') >= 0) {
      throw new InvalidInputException("text filter must not contain the NUL character");
    }
    checkRange("created", createdFrom, createdBefore);
    checkRange("updated", updatedFrom, updatedBefore);
  }

  /** True when {@code ability} passes every condition of this filter. */
  public boolean matches(Ability ability) {
    if (!serviceNames.isEmpty() && !serviceNames.contains(ability.serviceName())) {
      return false;
    }
    if (dynamicHeadersRequired != null && dynamicHeadersRequired != ability.dynamicHeadersRequired()) {
      return false;
    }
    if (textContains != null) {
      String needle = textContains.toLowerCase(java.util.Locale.ROOT);
      if (!ability.abilityName().toLowerCase(java.util.Locale.ROOT).contains(needle)
          && !ability.description().toLowerCase(java.util.Locale.ROOT).contains(needle)) {
        return false;
      }
    }
    return within(ability.createdAt(), createdFrom, createdBefore)
        && within(ability.updatedAt(), updatedFrom, updatedBefore);
  }

  private static boolean within(@Nullable Instant instant, @Nullable Instant from, @Nullable Instant before) {
    if (from == null && before == null) {
      return true;
    }
    return instant != null && (from == null || !instant.isBefore(from)) && (before == null || instant.isBefore(before));
  }

  /** Returns a builder for a filter; nothing set means every ability passes. */
  public static Builder builder() {
    return new Builder();
  }

  private static void checkRange(String name, @Nullable Instant from, @Nullable Instant before) {
    if (from != null && before != null && !from.isBefore(before)) {
      throw new InvalidInputException(name + " range is empty: " + from + " is not before " + before);
    }
  }

  /** Builds an {@link AbilityFilter}; not thread-safe. */
  public static final class Builder {
    private final Set<String> serviceNames = new LinkedHashSet<>();
    private @Nullable Boolean dynamicHeadersRequired;
    private @Nullable String textContains;
    private @Nullable Instant createdFrom;
    private @Nullable Instant createdBefore;
    private @Nullable Instant updatedFrom;
    private @Nullable Instant updatedBefore;

    private Builder() {}

    public Builder service(String serviceName) {
      serviceNames.add(serviceName);
      return this;
    }

    public Builder services(Iterable<String> names) {
      names.forEach(serviceNames::add);
      return this;
    }

    public Builder dynamicHeadersRequired(@Nullable Boolean required) {
      this.dynamicHeadersRequired = required;
      return this;
    }

    /** Only abilities that need no credentials. */
    public Builder publicOnly() {
      return dynamicHeadersRequired(false);
    }

    public Builder textContains(@Nullable String text) {
      this.textContains = text;
      return this;
    }

    public Builder createdFrom(@Nullable Instant instant) {
      this.createdFrom = instant;
      return this;
    }

    public Builder createdBefore(@Nullable Instant instant) {
      this.createdBefore = instant;
      return this;
    }

    public Builder updatedFrom(@Nullable Instant instant) {
      this.updatedFrom = instant;
      return this;
    }

    public Builder updatedBefore(@Nullable Instant instant) {
      this.updatedBefore = instant;
      return this;
    }

    /**
     * Returns the filter.
     *
     * @throws InvalidInputException if a time range is empty
     */
    public AbilityFilter build() {
      return new AbilityFilter(serviceNames, dynamicHeadersRequired, textContains, createdFrom, createdBefore,
          updatedFrom, updatedBefore);
    }
  }
}
