/** The subcommands of {@code abilitystore}, one class each, and what they share. */
@NullMarked
package dev.abilitystore.app.cli;

import org.jspecify.annotations.NullMarked;
