package dev.abilitystore.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.abilitystore.Ability;
import dev.abilitystore.InvalidAbilityException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * Streams abilities out of JSON of any size, holding one ability in memory at a time.
 *
 * <p>Accepted shapes, detected from the content: one ability object; a JSON array of them; the
 * original system's export {@code {"success": true, "count": n, "abilities": [...]}}; and JSON
 * Lines (or any sequence of the above). {@link #next()} throws {@link AbilityReadException} for
 * a record that is not a valid ability object and stays usable, so a caller can collect every
 * bad record of a file in one pass; after malformed JSON the reader is at its end. Not
 * thread-safe.
 */
public final class AbilityReader implements Iterator<Ability>, Closeable {
  private enum State { ROOT, IN_ARRAY, IN_EXPORT, DONE }

  private final JsonParser parser;
  private final String source;
  private State state = State.ROOT;
  private boolean onRecord;
  private long recordNumber;
  private long recordLine;
  /** Where the top-level object being looked at starts, before it is known to be an ability or an export. */
  private long objectLine;

  private AbilityReader(JsonParser parser, String source) {
    this.parser = parser;
    this.source = source;
  }

  /**
   * Opens a file for reading.
   *
   * @throws dev.abilitystore.InvalidInputException if the file does not exist
   */
  public static AbilityReader open(Path file) {
    try {
      return of(Files.newInputStream(file), file.toString());
    } catch (NoSuchFileException e) {
      throw new dev.abilitystore.InvalidInputException("no such file: " + file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Reads from {@code input}, which the reader closes; {@code source} names it in errors. */
  public static AbilityReader of(InputStream input, String source) {
    try {
      return new AbilityReader(JsonSupport.FACTORY.createParser(input), source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the 1-based number of the record last returned or rejected. */
  public long recordNumber() {
    return recordNumber;
  }

  /** Returns the line where the record last returned or rejected starts. */
  public long line() {
    return recordLine;
  }

  @Override
  public boolean hasNext() {
    if (!onRecord && state != State.DONE) {
      try {
        onRecord = advance();
      } catch (JsonProcessingException e) {
        state = State.DONE;
        recordNumber++;
        throw failure("malformed JSON: " + e.getOriginalMessage(), e);
      } catch (IOException e) {
        state = State.DONE;
        throw new UncheckedIOException("cannot read " + source, e);
      }
    }
    return onRecord;
  }

  /**
   * Returns the next ability.
   *
   * @throws AbilityReadException if the record is no valid ability object, or the JSON is malformed
   * @throws NoSuchElementException if there are no more records
   */
  @Override
  public Ability next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no more abilities in " + source);
    }
    onRecord = false;
    try {
      if (parser.currentToken() != JsonToken.START_OBJECT && parser.currentToken() != JsonToken.FIELD_NAME) {
        String found = describe(parser.currentToken());
        parser.skipChildren();
        throw failure("expected an ability object, found " + found, null);
      }
      return AbilityJson.read(parser);
    } catch (InvalidAbilityException e) {
      throw failure(e.getMessage(), e);
    } catch (JsonProcessingException e) {
      state = State.DONE;
      throw failure("malformed JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      state = State.DONE;
      throw new UncheckedIOException("cannot read " + source, e);
    }
  }

  @Override
  public void close() {
    try {
      parser.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Moves the parser onto the start of the next record; false at the end of input. */
  private boolean advance() throws IOException {
    while (true) {
      JsonToken token = parser.nextToken();
      switch (state) {
        case ROOT -> {
          if (token == null) {
            state = State.DONE;
            return false;
          }
          if (token == JsonToken.START_ARRAY) {
            state = State.IN_ARRAY;
          } else if (token == JsonToken.START_OBJECT) {
            objectLine = parser.currentTokenLocation().getLineNr();
            if (startsAbility()) {
              return beginRecord();
            }
            if (enterExport()) {
              state = State.IN_EXPORT;
            }
          } else {
            return beginRecord();
          }
        }
        case IN_ARRAY, IN_EXPORT -> {
          if (token == JsonToken.END_ARRAY) {
            if (state == State.IN_EXPORT) {
              skipRestOfObject();
            }
            state = State.ROOT;
          } else {
            return beginRecord();
          }
        }
        case DONE -> {
          return false;
        }
      }
    }
  }

  private boolean beginRecord() {
    recordNumber++;
    recordLine = parser.currentLocation().getLineNr();
    return true;
  }

  /** Looks at the first field of an object at the root: an ability field means an ability. */
  private boolean startsAbility() throws IOException {
    JsonToken token = parser.nextToken();
    if (token == JsonToken.END_OBJECT) {
      recordNumber++;
      recordLine = objectLine;
      throw failure("an empty object is no ability (ability_id, ability_name, service_name and description "
          + "are required)", null);
    }
    return AbilityJson.FIELDS.contains(parser.currentName());
  }

  /**
   * Reads the fields of an export container up to its {@code abilities} array. Returns false
   * when the container ended without one.
   */
  private boolean enterExport() throws IOException {
    for (JsonToken token = parser.currentToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (field.equals("abilities") && value == JsonToken.START_ARRAY) {
        return true;
      }
      if (field.equals("success") && value == JsonToken.VALUE_FALSE) {
        throw failure("the export reports \"success\": false; it holds no abilities", null);
      }
      parser.skipChildren();
    }
    recordNumber++;
    recordLine = objectLine;
    throw failure("an object at the top level must be an ability or an export with an \"abilities\" array", null);
  }

  private void skipRestOfObject() throws IOException {
    for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
      parser.nextToken();
      parser.skipChildren();
    }
  }

  private AbilityReadException failure(String problem, @Nullable Throwable cause) {
    long line = recordLine > 0 ? recordLine : parser.currentLocation().getLineNr();
    if (cause instanceof JsonProcessingException json && json.getLocation() != null) {
      line = json.getLocation().getLineNr();
    }
    return new AbilityReadException(source, line, Math.max(1, recordNumber), problem, cause);
  }

  private static String describe(@Nullable JsonToken token) {
    if (token == null) {
      return "the end of input";
    }
    return switch (token) {
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> token.name();
    };
  }
}
