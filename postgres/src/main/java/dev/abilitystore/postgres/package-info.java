/**
 * The PostgreSQL {@link dev.abilitystore.port.RecordStore}: the original system's
 * {@code abilities} table, created and evolved by Flyway, reached through a HikariCP pool.
 * {@link dev.abilitystore.postgres.PostgresRecordStore} is the entry point,
 * {@link dev.abilitystore.postgres.DatabaseUrl} reads {@code DATABASE_URL}.
 */
@NullMarked
package dev.abilitystore.postgres;

import org.jspecify.annotations.NullMarked;
