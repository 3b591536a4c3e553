/**
 * An in-process fake of the Infraxa HTTP API, strict like the real one, with injectable faults,
 * for the tests of this module and of the modules that wire it.
 */
@NullMarked
package dev.abilitystore.infraxa.testing;

import org.jspecify.annotations.NullMarked;
