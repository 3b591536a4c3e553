/**
 * What core knows about embeddings without any model: the text that stands for an ability
 * ({@link dev.abilitystore.embed.AbilityText}) and a dependency-free lexical embedder
 * ({@link dev.abilitystore.embed.HashingEmbedder}).
 */
@NullMarked
package dev.abilitystore.embed;

import org.jspecify.annotations.NullMarked;
