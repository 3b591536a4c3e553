package dev.abilitystore.replication;

import static java.util.Objects.requireNonNull;

import dev.abilitystore.Ability;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One write waiting for the secondary store.
 *
 * @param sequence its place in the queue, increasing from 0
 * @param enqueuedAt when it was queued
 * @param operation an upsert of {@code ability} or a delete of {@code abilityId}
 * @param abilityId the ability written or deleted
 * @param ability the ability to upsert, with its embedding; null for a delete
 */
public record QueuedWrite(long sequence, Instant enqueuedAt, Operation operation, String abilityId,
    @Nullable Ability ability) {

  /** What the write does. */
  public enum Operation { UPSERT, DELETE }

  public QueuedWrite {
    requireNonNull(enqueuedAt, "enqueuedAt");
    requireNonNull(operation, "operation");
    requireNonNull(abilityId, "abilityId");
    if ((operation == Operation.UPSERT) != (ability != null)) {
      throw new IllegalArgumentException("an upsert carries its ability and a delete none");
    }
    if (ability != null && !ability.abilityId().equals(abilityId)) {
      throw new IllegalArgumentException("ability id " + ability.abilityId() + " is not " + abilityId);
    }
  }

  /** A write before it has a place in the queue: an upsert. */
  public static QueuedWrite upsert(Ability ability) {
    return new QueuedWrite(-1, Instant.EPOCH, Operation.UPSERT, ability.abilityId(), ability);
  }

  /** A write before it has a place in the queue: a delete. */
  public static QueuedWrite delete(String abilityId) {
    return new QueuedWrite(-1, Instant.EPOCH, Operation.DELETE, abilityId, null);
  }

  QueuedWrite placed(long sequence, Instant enqueuedAt) {
    return new QueuedWrite(sequence, enqueuedAt, operation, abilityId, ability);
  }
}
