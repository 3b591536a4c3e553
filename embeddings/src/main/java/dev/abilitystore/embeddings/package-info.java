/**
 * {@link dev.abilitystore.port.Embedder} adapters: the bundled local model
 * ({@link dev.abilitystore.embeddings.OnnxEmbedder}, the default, no network), OpenAI-compatible
 * servers ({@link dev.abilitystore.embeddings.OpenAiEmbedder}), Gemini
 * ({@link dev.abilitystore.embeddings.GeminiEmbedder}), and a query cache in front of any of them
 * ({@link dev.abilitystore.embeddings.CachingEmbedder}).
 */
@NullMarked
package dev.abilitystore.embeddings;

import org.jspecify.annotations.NullMarked;
