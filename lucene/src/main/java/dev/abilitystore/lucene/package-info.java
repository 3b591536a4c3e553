/**
 * The embedded {@link dev.abilitystore.port.VectorIndex} on Apache Lucene: HNSW vectors (optionally
 * int8-quantised) up to 4096 dimensions, BM25 keywords over API-aware text, hybrid rank fusion,
 * group commit. {@link dev.abilitystore.lucene.LuceneVectorIndex} is the entry point.
 */
@NullMarked
package dev.abilitystore.lucene;

import org.jspecify.annotations.NullMarked;
