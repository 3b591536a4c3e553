/**
 * The rules every stored ability obeys, checked before anything is written and reported field
 * by field.
 */
@NullMarked
package dev.abilitystore.validation;

import org.jspecify.annotations.NullMarked;
