package dev.abilitystore;

import dev.abilitystore.port.WriteOutcome;

/**
 * What {@link AbilityStore#store} did with one ability.
 *
 * @param abilityId the ability's id
 * @param vectorId the original system's numeric id of it
 * @param primary what the primary store did: inserted, updated, or unchanged (same content)
 * @param secondary where the write stands in PostgreSQL: stored, queued, or disabled
 */
public record StoredAbility(String abilityId, int vectorId, WriteOutcome primary, SecondaryState secondary) {}
