package dev.abilitystore.json;

import dev.abilitystore.InvalidInputException;

/**
 * A file of abilities could not be read at some place in it: malformed JSON, a value that is
 * not an ability object, or an ability that broke a rule. The message starts with the source
 * and the line, so that it can be found in the file.
 */
public final class AbilityReadException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final long line;
  private final long recordNumber;

  AbilityReadException(String source, long line, long recordNumber, String problem, Throwable cause) {
    super(source + ":" + line + " (record " + recordNumber + "): " + problem, cause);
    this.source = source;
    this.line = line;
    this.recordNumber = recordNumber;
  }

  /** Returns the name of the file or stream being read. */
  public String source() {
    return source;
  }

  /** Returns the 1-based line where the problem was found. */
  public long line() {
    return line;
  }

  /** Returns the 1-based number of the record being read. */
  public long recordNumber() {
    return recordNumber;
  }
}
