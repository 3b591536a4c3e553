package dev.abilitystore.port;

import dev.abilitystore.Ability;

/**
 * One search result.
 *
 * @param ability the ability found
 * @param score relevance in [0, 1], higher is better; its meaning per mode is documented by
 *     each index
 */
public record SearchHit(Ability ability, double score) {}
