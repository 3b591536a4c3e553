/**
 * Abilities as JSON: the original system's snake_case format ({@link dev.abilitystore.json.AbilityJson}),
 * the canonical form that content hashes are computed over ({@link dev.abilitystore.json.CanonicalJson}),
 * and a streaming reader for files of any size ({@link dev.abilitystore.json.AbilityReader}).
 */
@NullMarked
package dev.abilitystore.json;

import org.jspecify.annotations.NullMarked;
