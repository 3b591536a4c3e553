package dev.abilitystore.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.Ability;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AbilityReaderTest {

  private static String ability(String id) {
    return "{\"ability_id\":\"" + id + "\",\"ability_name\":\"N\",\"service_name\":\"s\",\"description\":\"d\"}";
  }

  private static List<String> ids(String json) {
    List<String> ids = new ArrayList<>();
    try (AbilityReader reader = reader(json)) {
      reader.forEachRemaining(ability -> ids.add(ability.abilityId()));
    }
    return ids;
  }

  private static AbilityReader reader(String json) {
    return AbilityReader.of(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
  }

  @Test
  void read_singleObject() {
    assertThat(ids(ability("a"))).containsExactly("a");
  }

  @Test
  void read_array() {
    assertThat(ids("[" + ability("a") + ",\n" + ability("b") + "]")).containsExactly("a", "b");
  }

  @Test
  void read_originalExport() {
    assertThat(ids("{\"success\": true, \"count\": 2, \"abilities\": [" + ability("a") + "," + ability("b")
        + "], \"trailer\": {\"x\": [1]}}")).containsExactly("a", "b");
  }

  @Test
  void read_exportWithCountAfterTheArray() {
    assertThat(ids("{\"abilities\": [" + ability("a") + "], \"success\": true}")).containsExactly("a");
  }

  @Test
  void read_jsonLines() {
    assertThat(ids(ability("a") + "\n" + ability("b") + "\n\n" + ability("c") + "\n")).containsExactly("a", "b", "c");
  }

  @Test
  void read_emptyInput_hasNoAbilities() {
    assertThat(ids("")).isEmpty();
    assertThat(ids("[]")).isEmpty();
    assertThat(ids("{\"success\":true,\"count\":0,\"abilities\":[]}")).isEmpty();
  }

  @Test
  void read_failedExport_saysSo() {
    assertThatThrownBy(() -> ids("{\"success\": false, \"error\": \"boom\"}"))
        .isInstanceOf(AbilityReadException.class).hasMessageContaining("\"success\": false");
  }

  @Test
  void read_badRecord_namesLineAndFieldAndReadingGoesOn() {
    String jsonl = ability("a") + "\n{\"ability_id\":\"b\",\"ability_name\":1,\"service_name\":\"s\","
        + "\"description\":\"d\"}\n" + ability("c") + "\n";
    List<String> read = new ArrayList<>();
    List<AbilityReadException> errors = new ArrayList<>();
    try (AbilityReader reader = reader(jsonl)) {
      while (reader.hasNext()) {
        try {
          read.add(reader.next().abilityId());
        } catch (AbilityReadException e) {
          errors.add(e);
        }
      }
    }
    assertThat(read).containsExactly("a", "c");
    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.line()).isEqualTo(2);
      assertThat(e.recordNumber()).isEqualTo(2);
      assertThat(e).hasMessageStartingWith("test.json:2 (record 2): invalid ability 'b': ability_name: must be a "
          + "string");
    });
  }

  @Test
  void read_topLevelObjectThatIsNeitherAbilityNorExport_namesItsOwnLine() {
    AbilityReader reader = reader(ability("a") + "\n\n{\"name\": \"x\",\n \"other\": [1]}\n");
    assertThat(reader.next().abilityId()).isEqualTo("a");
    assertThatThrownBy(reader::next).isInstanceOf(AbilityReadException.class)
        .hasMessageStartingWith("test.json:3 (record 2): an object at the top level must be an ability or an export");
  }

  @Test
  void read_emptyObjectOverLines_namesTheLineWhereItStarts() {
    AbilityReader reader = reader(ability("a") + "\n{\n\n}\n");
    assertThat(reader.next().abilityId()).isEqualTo("a");
    assertThatThrownBy(reader::next).isInstanceOf(AbilityReadException.class)
        .hasMessageStartingWith("test.json:2 (record 2): an empty object is no ability");
  }

  @Test
  void read_arrayElementThatIsNoObject_isReported() {
    AbilityReader reader = reader("[\"x\", " + ability("a") + "]");
    assertThatThrownBy(reader::next).isInstanceOf(AbilityReadException.class)
        .hasMessageContaining("expected an ability object, found a string");
    assertThat(reader.next().abilityId()).isEqualTo("a");
    assertThat(reader.hasNext()).isFalse();
  }

  @Test
  void read_malformedJson_namesTheLineAndEnds() {
    AbilityReader reader = reader(ability("a") + "\n{\"ability_id\": \"b\",,}\n" + ability("c"));
    assertThat(reader.next().abilityId()).isEqualTo("a");
    assertThatThrownBy(reader::next).isInstanceOf(AbilityReadException.class)
        .hasMessageContaining("test.json:2").hasMessageContaining("malformed JSON");
    assertThat(reader.hasNext()).isFalse();
  }

  @Test
  void read_truncatedJson_isMalformed() {
    assertThatThrownBy(() -> ids("[" + ability("a") + ", {\"ability_id\": \"b\""))
        .isInstanceOf(AbilityReadException.class).hasMessageContaining("malformed JSON");
  }

  @Test
  void read_deepNesting_isRejectedNotAStackOverflow() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    assertThatThrownBy(() -> ids("{" + ability("a").substring(1, ability("a").length() - 1) + ",\"metadata\":{\"x\":"
        + deep + "}}")).isInstanceOf(AbilityReadException.class).hasMessageContaining("nesting depth");
  }

  @Test
  void read_streamsInputLargerThanItHolds() {
    int records = 200_000;
    Enumeration<InputStream> lines = new Enumeration<>() {
      private int next;

      @Override
      public boolean hasMoreElements() {
        return next < records;
      }

      @Override
      public InputStream nextElement() {
        return new ByteArrayInputStream((ability("id-" + next++) + "\n").getBytes(StandardCharsets.UTF_8));
      }
    };
    long count = 0;
    Ability last = null;
    try (AbilityReader reader = AbilityReader.of(new SequenceInputStream(lines), "generated")) {
      while (reader.hasNext()) {
        last = reader.next();
        count++;
      }
    }
    assertThat(count).isEqualTo(records);
    assertThat(last.abilityId()).isEqualTo("id-" + (records - 1));
  }
}
