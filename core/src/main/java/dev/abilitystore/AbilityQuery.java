package dev.abilitystore;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * One page of a structured query: abilities that pass {@code filter}, in ability-id order
 * (by code point), starting after the page that {@code cursor} ended.
 *
 * <p>Pagination is by key, not by offset: a page starts strictly after the last id of the
 * previous one, so rows inserted or deleted meanwhile never make a page repeat or skip an
 * ability that existed throughout.
 *
 * @param filter the conditions
 * @param limit page size, 1 to {@value #MAX_LIMIT}
 * @param cursor the {@link Page#nextCursor()} of the previous page, or null for the first
 */
public record AbilityQuery(AbilityFilter filter, int limit, @Nullable String cursor) {
  /** Default page size. */
  public static final int DEFAULT_LIMIT = 50;
  /** Largest page size. */
  public static final int MAX_LIMIT = 1000;

  /**
   * Checks the limit and the cursor.
   *
   * @throws InvalidInputException if the limit is out of range or the cursor is not one this
   *     store issued
   */
  public AbilityQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidInputException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
    if (cursor != null) {
      decode(cursor);
    }
  }

  /** Returns the first page of abilities passing {@code filter}. */
  public static AbilityQuery firstPage(AbilityFilter filter, int limit) {
    return new AbilityQuery(filter, limit, null);
  }

  /** Returns the query for the page after the one {@code cursor} ended. */
  public AbilityQuery next(String cursor) {
    return new AbilityQuery(filter, limit, cursor);
  }

  /** Returns the ability id this page starts after, or null for the first page. */
  public @Nullable String afterAbilityId() {
    return cursor == null ? null : decode(cursor);
  }

  /** Returns the cursor of a page that ended with {@code lastAbilityId}. */
  public static String cursorAfter(String lastAbilityId) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(("a:" + lastAbilityId)
        .getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (text.startsWith("a:") && text.length() > 2) {
        return text.substring(2);
      }
    } catch (IllegalArgumentException e) {
      // fall through to the error below
    }
    throw new InvalidInputException("cursor is not one this store issued: pass the next_cursor of the previous "
        + "page unchanged");
  }
}
