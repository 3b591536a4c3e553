package dev.abilitystore.integration;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.postgres.DatabaseUrl;
import dev.abilitystore.testing.Abilities;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A child JVM that ingests through an {@link AbilityStore} until it is killed, printing
 * {@code ACK <id> <version>} for every stored ability and {@code DELETED <id>} for every deleted
 * one, each only after the call that wrote it returned.
 *
 * <p>Arguments: data directory, PostgreSQL JDBC URL, seed, first round number (rounds keep
 * increasing across children so that a later version is recognisable), the {@link Primary} and,
 * for {@link Primary#INFRAXA}, the base URL of the parent's fake Infraxa.
 */
public final class IngestingChild {
  private IngestingChild() {}

  public static void main(String[] arguments) {
    Path dataDirectory = Path.of(arguments[0]);
    long seed = Long.parseLong(arguments[2]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    SplittableRandom random = new SplittableRandom(seed);
    Primary primary = Primary.valueOf(arguments[4]);
    URI infraxa = arguments.length > 5 ? URI.create(arguments[5]) : null;
    try (AbilityStore store = DualStore.open(primary, dataDirectory, DatabaseUrl.parse(arguments[1]).build(),
        infraxa)) {
      for (int round = Integer.parseInt(arguments[3]); ; round++) {
        List<Ability> batch = new ArrayList<>();
        int size = 1 + random.nextInt(20);
        for (int i = 0; i < size; i++) {
          int number = random.nextInt(2_000);
          batch.add(version(number, round));
        }
        store.store(batch);
        for (Ability ability : batch) {
          out.println("ACK " + ability.abilityId() + " " + round);
        }
        if (random.nextInt(5) == 0) {
          String id = id(random.nextInt(2_000));
          store.delete(List.of(id));
          out.println("DELETED " + id + " " + round);
        }
      }
    }
  }

  static String id(int number) {
    return String.format("ability-%04d", number);
  }

  /** The content of ability {@code number} as written in {@code round}. */
  static Ability version(int number, int round) {
    return Abilities.simple(id(number), "service-" + number % 5, number % 2 == 0, DualStore.DIMENSION).toBuilder()
        .description("version " + round + " of " + id(number))
        .build();
  }
}
