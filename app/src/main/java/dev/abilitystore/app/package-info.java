/**
 * The {@code abilitystore} application: reads configuration from the environment
 * ({@link dev.abilitystore.app.Settings}), wires the adapters it names
 * ({@link dev.abilitystore.app.Wiring}) and runs the command line ({@link dev.abilitystore.app.Main}).
 */
@NullMarked
package dev.abilitystore.app;

import org.jspecify.annotations.NullMarked;
