package dev.abilitystore.app;

import dev.abilitystore.json.AbilityReader;
import dev.abilitystore.sample.SampleCatalogue;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Where abilities are imported from; it can be read more than once.
 *
 * @param name how messages name it
 * @param opener opens a fresh reader over it
 */
public record ImportSource(String name, Supplier<AbilityReader> opener) {

  public static ImportSource file(Path file) {
    return new ImportSource(file.toString(), () -> AbilityReader.open(file));
  }

  public static ImportSource sampleCatalogue() {
    return new ImportSource("sample catalogue", SampleCatalogue::open);
  }
}
