/**
 * The few types an application of Ability Store works with: the {@link dev.abilitystore.Ability}
 * value, its {@link dev.abilitystore.Embedding}, the structured query types and the exception
 * hierarchy rooted at {@link dev.abilitystore.AbilityStoreException}.
 */
@NullMarked
package dev.abilitystore;

import org.jspecify.annotations.NullMarked;
