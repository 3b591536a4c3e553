/** End-to-end tests of the HTTP API over Lucene and a real PostgreSQL. */
@NullMarked
package dev.abilitystore.server;

import org.jspecify.annotations.NullMarked;
