package dev.abilitystore.validation;

/** The size limits of an ability. Sizes of text are counted in UTF-8 bytes unless said otherwise. */
public final class Limits {
  /** Longest ability id, in characters. */
  public static final int MAX_ABILITY_ID_LENGTH = 256;
  /** Longest service name, in characters. */
  public static final int MAX_SERVICE_NAME_LENGTH = 256;
  /** Longest display name, in characters. */
  public static final int MAX_ABILITY_NAME_LENGTH = 1024;
  /** Largest description: 64 KiB of UTF-8. */
  public static final int MAX_DESCRIPTION_BYTES = 64 * 1024;
  /** Largest metadata: 1 MiB of compact JSON. */
  public static final int MAX_METADATA_BYTES = 1024 * 1024;
  /** Most dynamic header keys one ability may list. */
  public static final int MAX_DYNAMIC_HEADER_KEYS = 64;
  /** Longest dynamic header key, in characters. */
  public static final int MAX_DYNAMIC_HEADER_KEY_LENGTH = 512;
  /** Largest embedding dimension any store accepts. */
  public static final int MAX_DIMENSION = 4096;

  private Limits() {}
}
