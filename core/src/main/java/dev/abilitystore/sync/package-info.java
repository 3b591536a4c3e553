/**
 * The reconciler behind {@code sync}: streams the vector index and PostgreSQL in ability-id
 * order, finds what is missing, stale or extra in either, and repairs it in one of three
 * directions; plus the tombstones that let a bidirectional sync tell a deletion from a loss.
 */
@NullMarked
package dev.abilitystore.sync;

import org.jspecify.annotations.NullMarked;
