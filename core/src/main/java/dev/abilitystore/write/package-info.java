/**
 * The write path's first steps, shared by every way abilities come in (API, import, Java
 * API): validate, redact credentials, embed what has no embedding.
 */
@NullMarked
package dev.abilitystore.write;

import org.jspecify.annotations.NullMarked;
