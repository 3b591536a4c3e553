package dev.abilitystore.app;

import static dev.abilitystore.fuzz.AbilityRecords.pick;
import static dev.abilitystore.fuzz.JsonText.quote;
import static dev.abilitystore.fuzz.JsonText.utf8;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.abilitystore.fuzz.AbilityOracle;
import dev.abilitystore.fuzz.AbilityRecords;
import dev.abilitystore.fuzz.Hostile;
import dev.abilitystore.fuzz.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * Generates the files of the importer's bad-input suite, in every shape the importer reads (JSON
 * Lines, one object, an array, the original's export, objects back to back), each holding one or
 * more records spoilt in one way: a bad value in one field per category, a field dropped,
 * repeated or unknown, the file truncated, its bytes flipped, in another encoding, malformed JSON,
 * deep nesting, huge strings, broken shapes; and files of hostile but valid records. With each,
 * the verdict of an independent model and, for an invalid file, where its first problem is.
 */
final class ImportFiles {
  static final List<String> FILE_CATEGORIES = List.of("missing-field", "duplicate-field", "unknown-field",
      "truncated-json", "byte-mutation", "malformed-json", "encoding", "shape", "batch-boundary");

  /** One generated file and what the importer must make of it. */
  record ImportFile(long number, String category, String extension, byte[] content, Verdict verdict,
      @Nullable Problem first, List<ObjectNode> records) {}

  /** Where the first problem of a file is: its line, and the fields at fault when the model knows them. */
  record Problem(long line, Set<String> fields) {}

  private final int dimension;
  private final AbilityRecords records;
  private final AbilityOracle oracle;

  ImportFiles(int dimension) {
    this.dimension = dimension;
    this.records = new AbilityRecords(dimension, "import-");
    this.oracle = new AbilityOracle(dimension);
  }

  /** Returns file {@code number}, drawn from {@code random}. */
  ImportFile generate(long number, SplittableRandom random) {
    int count = 1 + random.nextInt(6);
    List<LinkedHashMap<String, String>> items = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      items.add(records.validAbility(number * 100 + i, random));
    }
    int spoilt = random.nextInt(count);
    String category;
    int kind = random.nextInt(100);
    if (kind < 40) {
      category = pick(random, AbilityRecords.TEXT_CATEGORIES);
      String field = pick(random, AbilityRecords.FIELDS);
      items.get(spoilt).put(field, records.abilityValue(field, category, number * 100 + spoilt, random));
    } else if (kind < 52) {
      category = pick(random, AbilityRecords.SPECIAL_CATEGORIES);
      items.set(spoilt, records.special(category, number * 100 + spoilt, random));
    } else if (kind < 62) {
      category = "valid-hostile";
      for (LinkedHashMap<String, String> item : items) {
        item.put("ability_name", quote(clean(Hostile.text(random))));
        item.put("service_name", quote(clean(Hostile.text(random))));
        item.put("description", quote(Hostile.text(random) + " " + pick(random, Hostile.CONTROL)));
        item.put("metadata", "{" + quote(Hostile.pick(random, Hostile.printable())) + ": " + quote(Hostile.text(random))
            + ", \"n\": " + pick(random, List.of("1.50", "-0", "1e300", "0.1", "12345678901234567890")) + "}");
      }
    } else {
      category = pick(random, FILE_CATEGORIES);
      switch (category) {
        case "missing-field" -> items.get(spoilt).remove(pick(random, new ArrayList<>(items.get(spoilt).keySet())));
        case "duplicate-field" -> {
          LinkedHashMap<String, String> item = items.get(spoilt);
          String field = pick(random, new ArrayList<>(item.keySet()));
          item.put(field + "~~dup~~", random.nextBoolean() ? item.get(field) : pick(random, AbilityRecords.WRONG_TYPES));
        }
        case "unknown-field" -> items.get(spoilt).put(pick(random, List.of("colour", "id", "ABILITY_ID", "", "success",
            "abilities", "count", "__proto__")), pick(random, AbilityRecords.WRONG_TYPES));
        default -> { }
      }
    }
    String extension = "jsonl";
    String text;
    int shape = random.nextInt(6);
    List<String> rendered = items.stream().map(item -> render(item, random)).toList();
    switch (shape) {
      case 0 -> {
        text = String.join("\n", rendered) + "\n";
      }
      case 1 -> {
        String separator = pick(random, List.of("\r\n", "\n\n", "\n \n", " ", ""));
        text = String.join(separator, rendered);
      }
      case 2 -> {
        extension = "json";
        text = rendered.stream().collect(Collectors.joining(",\n", "[\n", "\n]\n"));
      }
      case 3 -> {
        extension = "json";
        text = "{\"success\": true, \"count\": " + rendered.size() + ", \"abilities\": "
            + rendered.stream().collect(Collectors.joining(",\n  ", "[\n  ", "\n]")) + "}\n";
      }
      default -> text = String.join("\n", rendered) + "\n";
    }
    byte[] content = utf8(text);
    switch (category) {
      case "truncated-json" -> content = Arrays.copyOf(content, random.nextInt(content.length));
      case "byte-mutation" -> content = AbilityRecords.mutateBytes(content, random);
      case "malformed-json" -> {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        lines.add(random.nextInt(lines.size() + 1), pick(random, Hostile.MALFORMED_JSON).replace("\n", " "));
        content = utf8(String.join("\n", lines));
      }
      case "encoding" -> content = AbilityRecords.encoded(text, random);
      case "shape" -> content = utf8(pick(random, List.of("", " \n\t\n", "null", "1", "\"text\"", "true", "[]", "{}",
          "[[" + rendered.get(0) + "]]", "{\"success\": false, \"abilities\": [" + rendered.get(0) + "]}",
          "{\"success\": true, \"count\": 0}", "{\"abilities\": {}}", "{\"count\": 1, \"abilities\": 7}",
          rendered.get(0) + "\n[1, 2]\n", "[" + rendered.get(0) + ", null]", "{\"abilities\": [" + rendered.get(0)
              + "]} trailing", rendered.get(0) + "\n}\n", "{\"colour\": 1, " + rendered.get(0).substring(1))));
      case "batch-boundary" -> {
        // a file long enough for several batches, whose last record is bad
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 12; i++) {
          many.append(render(records.validAbility(number * 100 + 50 + i, random), random)).append('\n');
        }
        LinkedHashMap<String, String> bad = records.validAbility(number * 100 + 99, random);
        String field = pick(random, AbilityRecords.FIELDS);
        bad.put(field, records.abilityValue(field, pick(random, AbilityRecords.TEXT_CATEGORIES), number * 100 + 99,
            random));
        many.append(render(bad, random)).append('\n');
        content = utf8(many.toString());
      }
      default -> { }
    }
    if (category.equals("duplicate-field")) {
      content = utf8(new String(content, StandardCharsets.UTF_8).replace("~~dup~~", ""));
    }
    return judge(number, category, extension, content);
  }

  private static String clean(String text) {
    String cleaned = text.replaceAll("\\p{Cntrl}", " ").strip();
    return cleaned.isEmpty() ? "x" : cleaned;
  }

  private static String render(LinkedHashMap<String, String> fields, SplittableRandom random) {
    // one record per line: the white space of AbilityRecords.render may hold new lines
    return AbilityRecords.render(fields, random).replace("\n", " ");
  }

  // ---------------------------------------------------------------------------------------------
  // The model of what the importer reads

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(256).maxNumberLength(1000)
          .maxStringLength(64 * 1024 * 1024).build())
      .build();
  /** Reads one value at a time out of a sequence: no complaint about the values after it. */
  private static final com.fasterxml.jackson.databind.ObjectMapper TREES = com.fasterxml.jackson.databind.json.JsonMapper
      .builder(FACTORY).enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
  private static final Set<String> ABILITY_FIELDS = Set.of("ability_id", "vector_id", "ability_name", "service_name",
      "description", "embedding", "dynamic_header_keys", "dynamic_headers_required", "metadata", "created_at",
      "updated_at", "content_hash");

  /** Judges a file as the importer must read it: a sequence of JSON values, each an ability, an array or an export. */
  ImportFile judge(long number, String category, String extension, byte[] content) {
    Verdict verdict = Verdict.valid();
    List<ObjectNode> found = new ArrayList<>();
    Problem[] first = new Problem[1];
    try (JsonParser parser = FACTORY.createParser(content)) {
      parser.setCodec(TREES);
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.START_ARRAY) {
          for (JsonToken element = parser.nextToken(); element != JsonToken.END_ARRAY; element = parser.nextToken()) {
            record(parser, element, verdict, found, first);
          }
        } else if (token == JsonToken.START_OBJECT) {
          long line = parser.currentLocation().getLineNr();
          JsonNode object = parser.readValueAsTree();
          if (object.isEmpty()) {
            problem(verdict, first, line, Set.of(), "an empty object");
          } else if (ABILITY_FIELDS.contains(object.fieldNames().next())) {
            ability((ObjectNode) object, line, verdict, found, first);
          } else {
            export((ObjectNode) object, line, verdict, found, first);
          }
        } else {
          problem(verdict, first, parser.currentLocation().getLineNr(), Set.of(), "a " + token + " at the top level");
          parser.skipChildren();
        }
      }
    } catch (JsonProcessingException e) {
      JsonLocation location = e.getLocation();
      problem(verdict, first, location == null ? -1 : location.getLineNr(), Set.of(), "malformed JSON: "
          + e.getOriginalMessage());
    } catch (IOException e) {
      problem(verdict, first, -1, Set.of(), "unreadable: " + e);
    }
    if (AbilityOracle.hasDuplicateFieldsAnywhere(content)) {
      // which of two values of a field counts is for the reader to say: the model stands aside
      verdict = Verdict.of(Verdict.Kind.UNKNOWN, "repeats a field name");
      first[0] = null;
    }
    return new ImportFile(number, category, extension, content, verdict, first[0], found);
  }

  private void record(JsonParser parser, JsonToken token, Verdict verdict, List<ObjectNode> found, Problem[] first)
      throws IOException {
    long line = parser.currentLocation().getLineNr();
    if (token != JsonToken.START_OBJECT) {
      problem(verdict, first, line, Set.of(), "an array element that is no object");
      parser.skipChildren();
      return;
    }
    ability((ObjectNode) parser.readValueAsTree(), line, verdict, found, first);
  }

  private void export(ObjectNode object, long line, Verdict verdict, List<ObjectNode> found, Problem[] first) {
    for (var field : object.properties()) {
      if (field.getKey().equals("success") && field.getValue().isBoolean() && !field.getValue().booleanValue()) {
        problem(verdict, first, line, Set.of(), "an export that says success: false");
        return;
      }
      if (field.getKey().equals("abilities") && field.getValue().isArray()) {
        for (JsonNode element : field.getValue()) {
          if (element instanceof ObjectNode ability) {
            // the line of each element is not known here: the importer names it, and the model only the export's
            ability(ability, -1, verdict, found, first);
          } else {
            problem(verdict, first, -1, Set.of(), "an export element that is no object");
          }
        }
        return;
      }
    }
    problem(verdict, first, line, Set.of(), "an object that is neither an ability nor an export");
  }

  private void ability(ObjectNode ability, long line, Verdict verdict, List<ObjectNode> found, Problem[] first) {
    Verdict one = oracle.judge(ability);
    if (one.kind() == Verdict.Kind.INVALID) {
      Set<String> fields = new java.util.TreeSet<>();
      for (String reason : one.reasons()) {
        String field = reason.startsWith("unknown field ") ? reason.substring("unknown field ".length())
            : reason.startsWith("metadata.dynamic_header_keys") ? "dynamic_header_keys"
            : reason.split("[ .\\[]", 2)[0];
        fields.add(field);
      }
      problem(verdict, first, line, fields, String.join("; ", one.reasons()));
    } else {
      verdict.merge(one);
      found.add(ability);
    }
  }

  private static void problem(Verdict verdict, Problem[] first, long line, Set<String> fields, String reason) {
    verdict.invalid((line > 0 ? "line " + line + ": " : "") + reason);
    if (first[0] == null) {
      first[0] = new Problem(line, fields);
    }
  }

  /** The files of {@link #dimension}-dimension abilities over every shape, for a quick look. */
  static String describe(ImportFile file) {
    return file.category() + " ." + file.extension() + " (" + file.content().length + " bytes): "
        + dev.abilitystore.fuzz.JsonText.preview(file.content(), 1200);
  }

  int dimension() {
    return dimension;
  }

  static List<Integer> range(int count) {
    return IntStream.range(0, count).boxed().toList();
  }
}
