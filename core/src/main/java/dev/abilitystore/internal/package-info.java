/**
 * Helpers shared by the packages of core; not an API, may change without notice.
 */
@NullMarked
package dev.abilitystore.internal;

import org.jspecify.annotations.NullMarked;
