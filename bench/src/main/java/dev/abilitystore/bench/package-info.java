/** Benchmarks of Ability Store, each beside the raw engine underneath it, measured in the same run. */
@NullMarked
package dev.abilitystore.bench;

import org.jspecify.annotations.NullMarked;
