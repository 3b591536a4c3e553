/**
 * The Infraxa adapter: {@link dev.abilitystore.infraxa.InfraxaVectorIndex}, the primary store
 * over the hosted Infraxa vector database's HTTP API, laid out exactly as the original
 * TypeScript system wrote it, so either system reads the other's workspace.
 */
@NullMarked
package dev.abilitystore.infraxa;

import org.jspecify.annotations.NullMarked;
