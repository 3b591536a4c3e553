/**
 * Usage analytics: how often each ability is found by searches and fetched, per ability and per
 * service — the dashboard's source. Counted in memory and flushed to a {@link
 * dev.abilitystore.usage.UsageStore} (PostgreSQL when configured, a file in the data directory
 * otherwise).
 */
@NullMarked
package dev.abilitystore.usage;

import org.jspecify.annotations.NullMarked;
