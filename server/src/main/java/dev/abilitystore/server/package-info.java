/**
 * The HTTP API over an {@link dev.abilitystore.AbilityStore}: {@link dev.abilitystore.server.ApiServer}
 * serves {@code /v1} (abilities, search, services, stats, sync) as JSON with the original system's
 * snake_case names, RFC 9457 problems for every error, API-key authentication, the probes
 * {@code /health} and {@code /ready}, Prometheus metrics, its OpenAPI document and the dashboard's
 * static files. Everything but the entry point and its {@link dev.abilitystore.server.ServerConfig}
 * is package-private.
 */
@NullMarked
package dev.abilitystore.server;

import org.jspecify.annotations.NullMarked;
