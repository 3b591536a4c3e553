package dev.abilitystore;

/**
 * How many abilities one service has.
 *
 * @param serviceName the service
 * @param total all of its abilities
 * @param publicCount those that need no credentials
 * @param privateCount those that need credentials
 */
public record ServiceCount(String serviceName, long total, long publicCount, long privateCount) {}
