package dev.abilitystore.write;

import java.util.Collection;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped locks by ability id, held across a write's primary and secondary steps so that two
 * writes of one id reach both stores in the same order, and so that the reconciler can re-read
 * and repair an id without racing a write of it.
 *
 * <p>A batch takes the stripes of all its ids in stripe order, so batches never deadlock; writes
 * of different ids mostly take different stripes and proceed in parallel. Reentrant: a thread
 * holding a stripe may take it again.
 */
public final class IdLocks {
  private static final int STRIPES = 256;

  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

  public IdLocks() {
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  /** Held stripes; closing releases them. */
  public interface Held extends AutoCloseable {
    @Override
    void close();
  }

  /** Takes the stripes of every id in {@code abilityIds}, waiting as long as it takes. */
  public Held lock(Collection<String> abilityIds) {
    TreeSet<Integer> indexes = new TreeSet<>();
    for (String abilityId : abilityIds) {
      indexes.add(Math.floorMod(abilityId.hashCode() * 0x9E3779B9, STRIPES));
    }
    int[] taken = new int[indexes.size()];
    int count = 0;
    for (int index : indexes) {
      stripes[index].lock();
      taken[count++] = index;
    }
    return () -> {
      for (int i = taken.length - 1; i >= 0; i--) {
        stripes[taken[i]].unlock();
      }
    };
  }
}
