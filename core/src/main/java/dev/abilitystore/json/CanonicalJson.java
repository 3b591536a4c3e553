package dev.abilitystore.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.abilitystore.Ability;
import dev.abilitystore.Embedding;
import dev.abilitystore.identity.AbilityIdOrder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The canonical form of an ability's content, the input of its {@code content_hash}.
 *
 * <p>Compact JSON (no white space) of the fields {@code ability_id}, {@code ability_name},
 * {@code description}, {@code dynamic_header_keys}, {@code embedding} (absent when there is
 * none), {@code metadata} and {@code service_name}, in that (sorted) order. Object keys at every
 * depth are sorted by code point. Numbers: embedding components as {@link Float#toString}
 * (shortest round-tripping decimal); metadata integers as plain digits, other metadata numbers
 * as {@link java.math.BigDecimal#toString} after stripping trailing zeros — so {@code 1.50},
 * {@code 1.5} and {@code 15e-1} hash alike, as PostgreSQL's JSONB round trip requires. Strings
 * are JSON-escaped by Jackson's default rules. Timestamps and derived fields are not content.
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  /** Returns the canonical UTF-8 bytes of the ability's content. */
  public static byte[] contentBytes(Ability ability) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator generator = JsonSupport.FACTORY.createGenerator(out)) {
      generator.writeStartObject();
      generator.writeStringField("ability_id", ability.abilityId());
      generator.writeStringField("ability_name", ability.abilityName());
      generator.writeStringField("description", ability.description());
      generator.writeFieldName("dynamic_header_keys");
      JsonSupport.writeValue(generator, ability.dynamicHeaderKeys(), AbilityIdOrder.COMPARATOR);
      Embedding embedding = ability.embedding();
      if (embedding != null) {
        generator.writeFieldName("embedding");
        AbilityJson.writeEmbedding(generator, embedding);
      }
      generator.writeFieldName("metadata");
      JsonSupport.writeValue(generator, ability.metadata(), AbilityIdOrder.COMPARATOR);
      generator.writeStringField("service_name", ability.serviceName());
      generator.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
