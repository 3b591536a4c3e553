package dev.abilitystore.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Corpora of hostile values: query syntax of SQL and Lucene, Unicode edge cases, control
 * characters, path separators, malformed JSON and JSON numbers that are no numbers. Each list
 * holds Java text; {@link JsonText#quote} writes it as a JSON string.
 */
public final class Hostile {
  private Hostile() {}

  /** SQL that must be taken literally wherever text is accepted. */
  public static final List<String> SQL = List.of(
      "'; DROP TABLE abilities; --",
      "Robert'); DROP TABLE abilities;--",
      "1' OR '1'='1",
      "\" OR 1=1 --",
      "' UNION SELECT ability_id, embedding FROM abilities --",
      "x'; DELETE FROM abilities WHERE ''='",
      "%", "_", "%%", "a%b_c", "100%_off", "\\", "\\%", "\\_", "'", "''", "\"", ";", "--", "/*", "*/",
      "$1", "$$ dollar quoted $$", "E'\\x00'", "::jsonb", "COLLATE \"C\"", "pg_sleep(10)",
      "'; SELECT pg_sleep(10); --", "NULL", "null", "TRUE", "ILIKE", "ESCAPE '\\'", "\\\\%",
      "abilities; TRUNCATE abilities", "${jndi:ldap://example.invalid/a}", "{{7*7}}", "<script>alert(1)</script>");

  /** Lucene query syntax that must be taken literally. */
  public static final List<String> LUCENE = List.of(
      "title:x AND (y", "*", "?", "*:*", "a~2", "\"unclosed phrase", "+-!(){}[]^\"~*?:\\/", "field:[a TO z]",
      "{!lucene}x", "/regex.*/", "NOT", "AND OR NOT", "a && b || c", "abc^1000", "x~", "((((((((((x", ")))))",
      "ability_id:github-get-user", "service_name:github", "description:*", "_id:0", "\\", "~", "^", "\\\\",
      "name:\"a b\"~10", "[* TO *]", "{a TO b}", "a AND", "OR b", "(", ")", "-", "+", "!", "&&", "||",
      "github OR stripe", "+github -stripe", "github^0", "ＡＮＤ", "a:b:c:d");

  /** Valid Unicode that stores must keep exactly. */
  public static final List<String> UNICODE = List.of(
      "ünïcödé", "日本語のテキスト", "🎉🚀 emoji", "e\u0301 combining", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "Z\u0334\u0321\u031ba\u0338l\u0335g\u0337o",
      "İstanbul", "straße", "ΣΊΣΥΦΟΣ ς", "مرحبا بالعالم", "עברית", "한국어", "\uFFFD", "\uFFFF noncharacter",
      "\uFDD0", "\uE000 private use", "\uDBFF\uDFFF max code point", "\u00A0nbsp", "\u2028line separator",
      "\u200Bzero width", "\u202Eright-to-left override", "\uFEFFbom", "Ⅻ", "ﬁ ligature", "Å vs A\u030A",
      "\u0130\u0131", "ǅ titlecase", "𐐀 deseret");

  /** Control characters, alone and in text. */
  public static final List<String> CONTROL = List.of(
      "\u0001", "\u0007bell", "a\u0008b", "tab\there", "new\nline", "carriage\rreturn", "\r\n", "\u000B", "\u000C",
      "esc\u001B[31m", "\u001F", "\u007F", "\u0085next line", "\u009F", "\u001Ekey");

  /** Path separators and the like, which ids must not contain or must keep literally. */
  public static final List<String> PATH = List.of(
      "a/b", "/", "//", "a\\b", "\\", "..", ".", "../../etc/passwd", "..\\..\\windows", "%2F", "%2e%2e", "%2f..%2f",
      "a%00b", "C:\\Windows", "~root", "a?b", "a#b", "a;b", ";", "a=b&c=d", "a%20b", "%", "a+b", "a@b:c",
      "file:///etc/passwd", "\\\\server\\share");

  /** Text that is not JSON, or not one JSON value. */
  public static final List<String> MALFORMED_JSON = List.of(
      "", " ", "{", "}", "[", "]", "{\"", "{\"ability_id\"", "{\"ability_id\":", "{\"ability_id\": \"x\"",
      "{ability_id: \"x\"}", "{'ability_id': 'x'}", "{\"a\": 1,}", "[1,]", "{\"a\" 1}", "{\"a\":: 1}", "nul", "tru",
      "{\"a\": undefined}", "{\"a\": 0x10}", "{\"a\": 01}", "{\"a\": .5}", "{\"a\": 5.}", "{\"a\": 1e}", "{\"a\": --1}",
      "{\"a\": \"unterminated}", "{\"a\": \"bad escape \\x41\"}", "{\"a\": \"\\u12\"}", "{\"a\": \"\\uZZZZ\"}",
      "{\"a\": \"raw\u0001control\"}", "{\"a\": \"raw\nnewline\"}", "{} {}", "{}garbage", "// comment\n{}",
      "/* c */ {}", "{\"a\": 1} // trailing", "\u0000", "{\u0000}", "{\"a\":1}\u0000", "<xml/>", "a=1&b=2",
      "{\"a\": NaN}", "{\"a\": Infinity}", "{\"a\": -Infinity}", "{\"a\": +1}", "{\"a\": [1 2]}", "{,}",
      "{\"a\": \"\\ud800\"", "{\"a\"}", "{:1}", "{1: 2}", "{null: 1}", "\"just a string", "{\"a\": tRue}",
      "{\"a\": None}", "{\"a\": nil}", "\uFEFF\uFEFF{}");

  /** JSON number literals and lookalikes, as raw JSON text. */
  public static final List<String> NUMBER_LITERALS = List.of(
      "NaN", "-NaN", "Infinity", "-Infinity", "+Infinity", "1e999", "-1e999", "1e-999", "1e200000", "-1e200000",
      "1e-20000", "1e131072", "1e-16384", "-0", "0", "0.0", "-0.0", "1.0", "1E2", "1e+2", "2147483647", "2147483648",
      "-2147483648", "-2147483649", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
      "3.4028235e38", "3.4028236e38", "3.5e38", "1.4e-45", "1e-46", "123456789012345678901234567890",
      "1" + "0".repeat(999), "0." + "0".repeat(990) + "1");

  /** Picks one element. */
  public static <T> T pick(SplittableRandom random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  /** Every hostile text of the corpora above that is free of control characters. */
  public static List<String> printable() {
    List<String> all = new ArrayList<>();
    all.addAll(SQL);
    all.addAll(LUCENE);
    all.addAll(UNICODE);
    all.addAll(PATH);
    return List.copyOf(all);
  }

  /** Some hostile text: SQL, Lucene, Unicode or path syntax, sometimes combined, sometimes in a sentence. */
  public static String text(SplittableRandom random) {
    List<String> corpus = switch (random.nextInt(4)) {
      case 0 -> SQL;
      case 1 -> LUCENE;
      case 2 -> UNICODE;
      default -> PATH;
    };
    String text = pick(random, corpus);
    return switch (random.nextInt(4)) {
      case 0 -> text + " " + pick(random, printable());
      case 1 -> "find " + text + " here";
      default -> text;
    };
  }

  /** A random string of code points drawn from every plane, controls and surrogate halves excluded. */
  public static String randomUnicode(SplittableRandom random, int length) {
    StringBuilder text = new StringBuilder(length * 2);
    while (text.length() < length) {
      int codePoint = switch (random.nextInt(4)) {
        case 0 -> 0x20 + random.nextInt(0x5F);
        case 1 -> 0xA0 + random.nextInt(0x2000);
        case 2 -> 0x10000 + random.nextInt(0x10000);
        default -> random.nextInt(0x110000);
      };
      if (Character.isISOControl(codePoint) || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
        continue;
      }
      text.appendCodePoint(codePoint);
    }
    return text.toString();
  }
}
