/** Search orchestration: the primary's answer, or an exact scan of PostgreSQL's embeddings when it fails. */
@NullMarked
package dev.abilitystore.search;

import org.jspecify.annotations.NullMarked;
