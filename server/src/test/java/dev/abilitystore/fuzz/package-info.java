/**
 * Support for the seeded bad-input suites of the HTTP API and the importer: the settings
 * ({@code -Dfuzz.seed}, {@code -Dfuzz.inputs}, ...), corpora of hostile values, an independent
 * model of what makes an ability valid, fingerprints of both stores, and the summary of what
 * was tried. Published in the server's test-jar for the app module's importer suite.
 */
@NullMarked
package dev.abilitystore.fuzz;

import org.jspecify.annotations.NullMarked;
