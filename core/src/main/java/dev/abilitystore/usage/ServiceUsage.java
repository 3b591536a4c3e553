package dev.abilitystore.usage;

/**
 * How one service's abilities have been used.
 *
 * @param serviceName the service
 * @param hits how often its abilities appeared in search results
 * @param fetches how often its abilities were fetched by id
 */
public record ServiceUsage(String serviceName, long hits, long fetches) {}
