/**
 * The durable replication queue: writes that PostgreSQL could not take when they were made wait
 * here, on disk, in order, until the replicator delivers them.
 */
@NullMarked
package dev.abilitystore.replication;

import org.jspecify.annotations.NullMarked;
