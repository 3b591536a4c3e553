/**
 * The identities derived from an ability: the original system's numeric {@code vector_id}, the
 * {@code content_hash} that tells whether two copies agree, and the order of ability ids that
 * every store scans in.
 */
@NullMarked
package dev.abilitystore.identity;

import org.jspecify.annotations.NullMarked;
