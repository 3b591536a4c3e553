package dev.abilitystore.bench;

import dev.abilitystore.Ability;
import dev.abilitystore.testing.Abilities;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark catalogue: ability {@code i} is {@code ability-0000042}, every field set, with a
 * seeded unit-length embedding of the run's dimension, the same in every run and every part.
 */
final class SeededAbilities {
  private SeededAbilities() {}

  /** Returns abilities {@code from} (inclusive) to {@code to} (exclusive). */
  static List<Ability> range(int from, int to, int dimension) {
    List<Ability> abilities = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      abilities.add(Abilities.full(id(i), dimension));
    }
    return abilities;
  }

  static String id(int index) {
    return String.format("ability-%07d", index);
  }
}
