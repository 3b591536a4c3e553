/**
 * The three ports of Ability Store — {@link dev.abilitystore.port.VectorIndex} (the primary),
 * {@link dev.abilitystore.port.RecordStore} (the secondary) and
 * {@link dev.abilitystore.port.Embedder} — and the records they exchange. Adapters (Lucene,
 * Infraxa, PostgreSQL, the embedding providers) implement them in modules of their own.
 */
@NullMarked
package dev.abilitystore.port;

import org.jspecify.annotations.NullMarked;
