package dev.abilitystore.app.cli;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The exclusive {@code --public | --private} filter of {@code query} and {@code search}. */
final class AuthOption {
  @Option(names = "--public", description = "Only abilities that need no credentials.")
  boolean publicOnly;

  @Option(names = "--private", description = "Only abilities that need credentials.")
  boolean privateOnly;

  /** Returns the filter's {@code dynamic_headers_required}: null (either) when neither option was given. */
  static @Nullable Boolean required(@Nullable AuthOption option) {
    return option == null ? null : option.privateOnly;
  }
}
