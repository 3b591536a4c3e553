package dev.abilitystore;

import dev.abilitystore.port.EmbedderStamp;
import dev.abilitystore.port.Health;
import dev.abilitystore.replication.Replicator;
import dev.abilitystore.sync.SyncReport;
import dev.abilitystore.usage.UsageReport;
import org.jspecify.annotations.Nullable;

/**
 * What the store holds and is doing, for {@code stats}, {@code /v1/stats} and the dashboard.
 *
 * @param primary the primary index's name, such as {@code lucene}
 * @param primaryCount abilities in the primary, or null if it could not be counted
 * @param primaryHealth whether the primary can serve
 * @param secondaryCount abilities in PostgreSQL, or null if it is disabled or could not be counted
 * @param secondaryHealth whether PostgreSQL can serve, or that it is disabled
 * @param replication the replication queue's depth and age; null when PostgreSQL is disabled
 * @param lastSync the report of the last reconciliation since start-up, or null
 * @param embedder the model that makes the store's vectors
 * @param usage the most used abilities and every service's usage; null if it could not be read
 */
public record StoreStats(String primary, @Nullable Long primaryCount, Health primaryHealth,
    @Nullable Long secondaryCount, Health secondaryHealth, Replicator.@Nullable Status replication,
    @Nullable SyncReport lastSync, EmbedderStamp embedder, @Nullable UsageReport usage) {}
