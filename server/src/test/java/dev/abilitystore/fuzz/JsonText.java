package dev.abilitystore.fuzz;

import java.nio.charset.StandardCharsets;

/** Writes JSON text by hand, so that it can hold what a JSON library would refuse to write. */
public final class JsonText {
  private JsonText() {}

  /**
   * Returns {@code text} as a JSON string literal: quotes, backslashes and control characters
   * escaped, unpaired surrogates as {@code \\uD800} escapes (UTF-8 cannot carry them), the rest
   * as it is.
   */
  public static String quote(String text) {
    StringBuilder json = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
      if (paired) {
        json.append(c).append(text.charAt(++i));
      } else if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20 || Character.isSurrogate(c)) {
        json.append(String.format("\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    return json.append('"').toString();
  }

  /** UTF-8 bytes of {@code text}. */
  public static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Shows bytes for a failure message: text with escapes, cut after {@code max} characters. */
  public static String preview(byte[] bytes, int max) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    StringBuilder shown = new StringBuilder();
    for (int i = 0; i < text.length() && shown.length() < max; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7F || Character.isSurrogate(c) || c == '\uFFFD') {
        shown.append(String.format("\\u%04x", (int) c));
      } else {
        shown.append(c);
      }
    }
    if (shown.length() >= max) {
      shown.append("… (").append(bytes.length).append(" bytes)");
    }
    return shown.toString();
  }
}
