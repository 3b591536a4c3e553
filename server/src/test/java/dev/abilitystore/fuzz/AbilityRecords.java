package dev.abilitystore.fuzz;

import static dev.abilitystore.fuzz.JsonText.quote;
import static dev.abilitystore.fuzz.JsonText.utf8;

import dev.abilitystore.identity.VectorIds;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Generates ability records, as raw JSON per field, for the bad-input suites of the HTTP API and
 * the importer: valid ones, and ones with a hostile or wrong value in one field, per category
 * (SQL and Lucene syntax, Unicode edge cases, control characters, path separators, huge strings,
 * wrong types, NaN and Infinity, deep nesting, dimensions, timestamps, header keys, metadata,
 * derived fields); and mutations of their bytes (truncation, flips, other encodings). Which
 * records are valid is for {@link AbilityOracle} to say.
 */
public final class AbilityRecords {
  /** The categories of a bad value in one field. */
  public static final List<String> TEXT_CATEGORIES = List.of("sql-syntax", "lucene-syntax", "unicode",
      "control-chars", "path-separators", "huge-strings", "wrong-types", "non-finite-numbers", "deep-nesting");
  /** The categories of a record spoilt as a whole. */
  public static final List<String> SPECIAL_CATEGORIES = List.of("dimension", "timestamps", "header-keys", "metadata",
      "derived-fields");
  /** The fields of an ability. */
  public static final List<String> FIELDS = List.of("ability_id", "vector_id", "ability_name", "service_name",
      "description", "embedding", "dynamic_header_keys", "dynamic_headers_required", "metadata", "created_at",
      "updated_at", "content_hash");
  /** JSON values of every type. */
  public static final List<String> WRONG_TYPES = List.of("0", "-1", "3.14", "true", "false", "null", "\"text\"",
      "\"\"", "[]", "[1,2]", "[\"a\",\"b\"]", "{}", "{\"a\":1}", "[[[]]]", "[null]", "{\"ability_id\":\"x\"}");

  private final int dimension;
  private final String idPrefix;

  /**
   * @param dimension the store's dimension
   * @param idPrefix what every generated id starts with, such as {@code fuzz-}
   */
  public AbilityRecords(int dimension, String idPrefix) {
    this.dimension = dimension;
    this.idPrefix = idPrefix;
  }

  /** The id of record {@code number}. */
  public String id(long number) {
    return idPrefix + number;
  }

  /** The timestamps this run generates, with whether each is valid. */
  public List<Map.Entry<String, Boolean>> timestamps() {
    return AbilityOracle.TIMESTAMPS;
  }

  /** A valid ability of a fresh id, as raw JSON per field. */
  public LinkedHashMap<String, String> validAbility(long number, SplittableRandom random) {
    LinkedHashMap<String, String> fields = new LinkedHashMap<>();
    fields.put("ability_id", quote(id(number)));
    fields.put("ability_name", quote("Fuzz ability " + number));
    fields.put("service_name", quote("fuzz-service"));
    fields.put("description", quote("Input " + number + " of the bad-input suite"));
    if (random.nextBoolean()) {
      fields.put("embedding", vector(random, dimension));
    }
    if (random.nextInt(3) == 0) {
      fields.put("dynamic_header_keys", "[\"api.fuzz.example::x-session\"]");
    }
    if (random.nextBoolean()) {
      fields.put("metadata", "{\"request_method\": \"GET\", \"request_url\": \"https://api.fuzz.example/v1/things/{id}\","
          + " \"retries\": 3, \"rate\": 1.50, \"tags\": [\"fuzz\"]}");
    }
    return fields;
  }

  /** A value of {@code category} for {@code field}, as raw JSON. */
  public String abilityValue(String field, String category, long number, SplittableRandom random) {
    boolean text = Set.of("ability_id", "ability_name", "service_name", "description", "created_at", "updated_at",
        "content_hash").contains(field);
    return switch (category) {
      case "sql-syntax", "lucene-syntax", "unicode", "control-chars", "path-separators" -> {
        String hostile = corpusText(category, random);
        if (field.equals("ability_id") && random.nextInt(4) > 0) {
          hostile = random.nextBoolean() ? hostile + "-" + number : number + hostile;
        }
        if (text) {
          yield quote(hostile);
        } else if (field.equals("dynamic_header_keys")) {
          yield "[" + quote(hostile) + "]";
        } else if (field.equals("metadata")) {
          yield "{" + quote(random.nextBoolean() ? "note" : hostile) + ": " + quote(hostile) + ", \"list\": ["
              + quote(hostile) + "]}";
        } else {
          yield quote(hostile);
        }
      }
      case "huge-strings" -> {
        int limit = switch (field) {
          case "ability_id", "service_name" -> 256;
          case "ability_name" -> 1024;
          case "description" -> AbilityOracle.MAX_DESCRIPTION_BYTES;
          case "dynamic_header_keys" -> AbilityOracle.MAX_KEY;
          default -> 64 * 1024;
        };
        String huge = hugeText(random, limit, field.equals("ability_id") ? id(number) + "-" : "");
        if (field.equals("dynamic_header_keys")) {
          yield "[" + quote(huge) + "]";
        } else if (field.equals("metadata")) {
          yield "{\"huge\": " + quote(huge) + "}";
        }
        yield quote(huge);
      }
      case "wrong-types" -> pick(random, WRONG_TYPES);
      case "non-finite-numbers" -> {
        String literal = pick(random, Hostile.NUMBER_LITERALS);
        if (field.equals("embedding")) {
          yield vectorWith(random, dimension, literal);
        } else if (field.equals("metadata")) {
          yield "{\"number\": " + literal + ", \"list\": [1, " + literal + "]}";
        } else if (field.equals("dynamic_header_keys")) {
          yield "[" + literal + "]";
        }
        yield literal;
      }
      case "deep-nesting" -> {
        String nested = nested(random, pick(random, List.of(3, 100, 200, 250, 252, 253, 254, 255, 256, 257, 300, 1000,
            50_000)));
        yield field.equals("metadata") ? "{\"deep\": " + nested + "}" : nested;
      }
      default -> throw new IllegalStateException("no category " + category);
    };
  }

  /** A record spoilt in the way of a special category. */
  public LinkedHashMap<String, String> special(String category, long number, SplittableRandom random) {
    LinkedHashMap<String, String> fields = validAbility(number, random);
    String id = id(number);
    switch (category) {
      case "dimension" -> {
        int size = pick(random, List.of(0, 1, dimension - 1, dimension + 1, 2 * dimension, 4096, 4097, dimension,
            dimension));
        String component = pick(random, List.of("0", "0.0", "1e-46", "1.4e-45", "0.5", "1", "-0.0", "1e38", "3.4e38"));
        boolean same = random.nextBoolean();
        fields.put("embedding", IntStream.range(0, size).mapToObj(i -> same ? component : randomComponent(random))
            .collect(Collectors.joining(",", "[", "]")));
      }
      case "timestamps" -> {
        Map.Entry<String, Boolean> timestamp = pick(random, AbilityOracle.TIMESTAMPS);
        fields.put(random.nextBoolean() ? "created_at" : "updated_at", quote(timestamp.getKey()));
        if (random.nextBoolean()) {
          fields.put("created_at", quote(pick(random, AbilityOracle.TIMESTAMPS).getKey()));
        }
      }
      case "header-keys" -> fields.put("dynamic_header_keys", headerKeys(random));
      case "metadata" -> fields.put("metadata", metadata(random));
      case "derived-fields" -> {
        switch (random.nextInt(6)) {
          case 0 -> fields.put("vector_id", Integer.toString(VectorIds.of(id)));
          case 1 -> fields.put("vector_id", Long.toString(VectorIds.of(id) + (random.nextBoolean() ? 1L : -1L)));
          case 2 -> fields.put("vector_id", quote(Integer.toString(VectorIds.of(id))));
          case 3 -> fields.put("vector_id", VectorIds.of(id) + ".0");
          case 4 -> fields.put("dynamic_headers_required", pick(random, List.of("true", "false", "\"yes\"", "1", "null")));
          default -> fields.put("content_hash", pick(random, List.of("\"anything\"", "12", "{\"x\": [1]}", "null",
              quote(Hostile.pick(random, Hostile.SQL)))));
        }
      }
      default -> throw new IllegalStateException(category);
    }
    return fields;
  }

  private String headerKeys(SplittableRandom random) {
    return switch (random.nextInt(9)) {
      case 0 -> IntStream.range(0, 64).mapToObj(i -> quote("h" + i + ".example::k")).collect(joinArray());
      case 1 -> IntStream.range(0, 65).mapToObj(i -> quote("h" + i + ".example::k")).collect(joinArray());
      case 2 -> "[\"a::b\", \"a::b\"]";
      case 3 -> "[" + quote(pick(random, List.of("", " ", "\t", "\u00A0"))) + "]";
      case 4 -> "[" + quote("k".repeat(512)) + "]";
      case 5 -> "[" + quote("k".repeat(513)) + "]";
      case 6 -> "[" + pick(random, List.of("1", "null", "true", "{}", "[]", "[\"a\"]")) + "]";
      case 7 -> quote("api.example::authorization");
      default -> "[" + quote(Hostile.pick(random, Hostile.printable())) + ", " + quote(
          Hostile.pick(random, Hostile.CONTROL)) + "]";
    };
  }

  private String metadata(SplittableRandom random) {
    return switch (random.nextInt(8)) {
      case 0 -> pick(random, List.of("[]", "\"text\"", "1", "true", "null", "[{}]"));
      case 1 -> "{\"big\": " + quote("m".repeat(pick(random, List.of(900_000, 1_100_000, 1_048_576)))) + "}";
      case 2 -> "{" + quote(pick(random, List.of("", "\u0000", "\ud800", "a\u0000b", "key\u0001"))) + ": 1}";
      case 3 -> "{\"dynamic_header_keys\": " + headerKeys(random) + "}";
      case 4 -> "{\"n\": " + pick(random, List.of("1e131071", "1e131072", "-1e131072", "1e-16383", "1e-16384",
          "1e400", "1.000000000000000000000000000001", "12345678901234567890123456789012345678901234567890")) + "}";
      default -> randomJson(random, 0);
    };
  }

  /** Random JSON of hostile keys and values, at most a few levels deep. */
  private String randomJson(SplittableRandom random, int depth) {
    int kind = depth > 4 ? 3 + random.nextInt(4) : random.nextInt(7);
    return switch (kind) {
      case 0, 1 -> IntStream.range(0, random.nextInt(5)).mapToObj(i -> quote(random.nextInt(3) == 0
              ? Hostile.pick(random, Hostile.printable()) : "k" + i) + ": " + randomJson(random, depth + 1))
          .collect(Collectors.joining(", ", "{", "}"));
      case 2 -> IntStream.range(0, random.nextInt(4)).mapToObj(i -> randomJson(random, depth + 1)).collect(joinArray());
      case 3 -> quote(random.nextBoolean() ? Hostile.text(random) : Hostile.randomUnicode(random, 1 + random.nextInt(20)));
      case 4 -> pick(random, List.of("0", "-7", "1.25", "1e10", "-0.0", "123456789012345678901234567890", "1e-5"));
      case 5 -> pick(random, List.of("true", "false", "null"));
      default -> quote(Hostile.pick(random, Hostile.CONTROL));
    };
  }

  /** One to three random edits of the bytes: flips, replacements, insertions, deletions, repeats. */
  public static byte[] mutateBytes(byte[] valid, SplittableRandom random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] bytes = valid.clone();
    int operations = 1 + random.nextInt(3);
    for (int i = 0; i < operations && bytes.length > 0; i++) {
      int at = random.nextInt(bytes.length);
      switch (random.nextInt(5)) {
        case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
        case 1 -> bytes[at] = (byte) random.nextInt(256);
        case 2 -> {
          out.reset();
          out.write(bytes, 0, at);
          out.write(pick(random, List.of((int) '{', (int) '}', (int) '"', (int) ',', (int) ':', (int) '[', 0, 0xFF,
              (int) '\\')));
          out.write(bytes, at, bytes.length - at);
          bytes = out.toByteArray();
        }
        case 3 -> {
          out.reset();
          out.write(bytes, 0, at);
          out.write(bytes, at + 1, bytes.length - at - 1);
          bytes = out.toByteArray();
        }
        default -> {
          int length = Math.min(bytes.length - at, 1 + random.nextInt(20));
          out.reset();
          out.write(bytes, 0, at + length);
          out.write(bytes, at, bytes.length - at);
          bytes = out.toByteArray();
        }
      }
    }
    return bytes;
  }

  public static byte[] randomBytes(SplittableRandom random, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return bytes;
  }

  /** The body in another encoding, or with bytes that are no UTF-8. */
  public static byte[] encoded(String body, SplittableRandom random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int kind = random.nextInt(9);
    switch (kind) {
      case 0 -> out.writeBytes(body.getBytes(StandardCharsets.UTF_16LE));
      case 1 -> out.writeBytes(body.getBytes(StandardCharsets.UTF_16));
      case 2 -> out.writeBytes(body.getBytes(Charset.forName("UTF-32BE")));
      case 3 -> out.writeBytes(body.getBytes(Charset.forName("UTF-32LE")));
      case 4 -> {
        out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        out.writeBytes(utf8(body));
      }
      case 5 -> {
        // UTF-32 with a code point beyond U+10FFFF, and with a surrogate
        out.writeBytes(utf32("{\"query\": \""));
        out.writeBytes(new byte[] {0, random.nextBoolean() ? (byte) 0x11 : 0, random.nextBoolean() ? (byte) 0xD8 : 0, 0});
        out.writeBytes(utf32("\"}"));
      }
      case 6 -> out.writeBytes(body.getBytes(StandardCharsets.ISO_8859_1));
      default -> {
        byte[] utf8 = utf8(body);
        int at = body.indexOf("\": \"") + 4;
        if (at < 4) {
          at = utf8.length / 2;
        }
        int byteAt = new String(utf8, 0, Math.min(at, utf8.length), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8).length;
        byteAt = Math.min(byteAt, utf8.length);
        out.write(utf8, 0, byteAt);
        out.writeBytes(pick(random, List.of(new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC0, (byte) 0xAF},
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            new byte[] {(byte) 0xE2, (byte) 0x82}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80,
                (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0x80})));
        out.write(utf8, byteAt, utf8.length - byteAt);
      }
    }
    return out.toByteArray();
  }

  private static byte[] utf32(String text) {
    return text.getBytes(Charset.forName("UTF-32BE"));
  }



  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** Text of a hostile corpus, named by its category. */
  public static String corpusText(String category, SplittableRandom random) {
    return switch (category) {
      case "sql-syntax" -> Hostile.pick(random, Hostile.SQL);
      case "lucene-syntax" -> Hostile.pick(random, Hostile.LUCENE);
      case "unicode" -> random.nextInt(4) == 0 ? Hostile.randomUnicode(random, 1 + random.nextInt(40))
          : random.nextInt(5) == 0 ? pick(random, List.of("\ud800", "\udc00", "a\ud800b", "\udfff\ud800", "\u0000",
              "x\u0000")) : Hostile.pick(random, Hostile.UNICODE);
      case "control-chars" -> Hostile.pick(random, Hostile.CONTROL);
      case "path-separators" -> Hostile.pick(random, Hostile.PATH);
      default -> throw new IllegalStateException(category);
    };
  }

  /** Text about {@code limit} long (in characters, or UTF-8 bytes for descriptions), just under, at or over it. */
  public static String hugeText(SplittableRandom random, int limit, String prefix) {
    String unit = pick(random, List.of("x", "x", "é", "日", "🎉"));
    int units = switch (random.nextInt(5)) {
      case 0 -> limit - 1;
      case 1 -> limit;
      case 2 -> limit + 1;
      case 3 -> 2 * limit;
      default -> pick(random, List.of(limit / 3, limit / 2, limit / 4 + 1));
    };
    units = Math.max(1, units - prefix.length());
    return prefix + unit.repeat(Math.max(1, unit.equals("x") ? units : units / unit.length()));
  }

  public static String nested(SplittableRandom random, int depth) {
    boolean arrays = random.nextBoolean();
    String open = arrays ? "[" : "{\"a\":";
    String close = arrays ? "]" : "}";
    return open.repeat(depth) + (random.nextBoolean() ? "1" : "null") + close.repeat(depth);
  }

  public static String vector(SplittableRandom random, int size) {
    return IntStream.range(0, size).mapToObj(i -> randomComponent(random)).collect(joinArray());
  }

  private static String randomComponent(SplittableRandom random) {
    return Float.toString((float) (random.nextDouble() * 2 - 1));
  }

  private static String vectorWith(SplittableRandom random, int size, String literal) {
    int at = random.nextInt(size);
    return IntStream.range(0, size).mapToObj(i -> i == at ? literal : randomComponent(random)).collect(joinArray());
  }

  private static java.util.stream.Collector<CharSequence, ?, String> joinArray() {
    return Collectors.joining(",", "[", "]");
  }

  /** The fields as a JSON object, with random white space. */
  public static String render(LinkedHashMap<String, String> fields, SplittableRandom random) {
    String separator = pick(random, List.of(",", ", ", ",\n  ", " ,\t"));
    return fields.entrySet().stream().map(field -> quote(field.getKey()) + (random.nextBoolean() ? ":" : ": ")
        + field.getValue()).collect(Collectors.joining(separator, random.nextInt(4) == 0 ? "{\n  " : "{",
        random.nextInt(4) == 0 ? "\n}" : "}"));
  }

  /** Percent-encodes a path segment: everything but unreserved characters, some sub-delimiters left raw. */

  public static <T> T pick(SplittableRandom random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }
}
