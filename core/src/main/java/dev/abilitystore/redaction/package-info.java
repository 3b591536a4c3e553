/**
 * Keeps credentials out of the catalogue: header values and token-shaped strings are replaced
 * by {@code [REDACTED]} before an ability reaches any store.
 */
@NullMarked
package dev.abilitystore.redaction;

import org.jspecify.annotations.NullMarked;
