/** The sample catalogue shipped with Ability Store, for a first run and for tests. */
@NullMarked
package dev.abilitystore.sample;

import org.jspecify.annotations.NullMarked;
