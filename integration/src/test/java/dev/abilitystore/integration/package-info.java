/** Tests of the dual store over the real adapters. */
@NullMarked
package dev.abilitystore.integration;

import org.jspecify.annotations.NullMarked;
