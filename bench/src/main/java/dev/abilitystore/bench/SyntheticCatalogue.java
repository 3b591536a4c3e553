package dev.abilitystore.bench;

import dev.abilitystore.Ability;
import dev.abilitystore.testing.Abilities;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded catalogue of abilities shaped like real ones, for the structured-query and HTTP
 * benchmarks: ability {@code i} belongs to one of {@value #SERVICES} services (about 1 % of the
 * rows each), needs credentials with probability 0.4, and is named and described with one of
 * {@link #VERBS} and one of {@link #NOUNS}, so that a verb matches about a tenth of the rows and a
 * noun about a hundredth. Ids start with their service, as real ids do ({@code
 * service-042-list-invoice-0012345}). No noun or verb is a substring of another word the texts use.
 * Immutable and thread-safe.
 */
final class SyntheticCatalogue {
  static final int SERVICES = 100;
  /** Distinct texts of {@link #searchText}: every verb with every pair of nouns. */
  static final int QUERY_TEXTS = 100_000;
  static final List<String> VERBS = List.of("list", "create", "update", "delete", "fetch", "search", "archive",
      "approve", "export", "merge");
  static final List<String> NOUNS = List.of("invoice", "customer", "payment", "refund", "coupon", "shipment",
      "parcel", "warehouse", "product", "catalog", "basket", "review", "rating", "ticket", "incident", "alert",
      "monitor", "dashboard", "metric", "webhook", "channel", "thread", "reaction", "emoji", "radio", "track",
      "album", "podcast", "episode", "recipe", "ingredient", "forecast", "earthquake", "volcano", "tide",
      "satellite", "planet", "asteroid", "flight", "airport", "hotel", "booking", "itinerary", "passport",
      "visa", "currency", "quote", "dividend", "portfolio", "ledger", "budget", "expense", "receipt", "payroll",
      "employee", "candidate", "interview", "contract", "signature", "envelope", "folder", "spreadsheet",
      "slide", "calendar", "meeting", "reminder", "contact", "mailbox", "newsletter", "subscriber", "campaign",
      "audience", "segment", "lead", "opportunity", "pipeline", "repository", "commit", "branch", "gist",
      "container", "cluster", "volume", "snapshot", "firewall", "domain", "certificate", "bucket", "queue",
      "topic", "vehicle", "garage", "parking", "route", "bicycle", "museum", "artwork", "painting", "sculpture",
      "glacier");

  private SyntheticCatalogue() {}

  /** Returns the service of ability {@code index}'s {@code service} number: {@code service-042}. */
  static String service(int service) {
    return String.format(Locale.ROOT, "service-%03d", service);
  }

  /**
   * Returns ability {@code index}: with a seeded unit vector of {@code dimension} when it is
   * positive (a stand-in for a model's dense vector, as long in JSON), without one (the store
   * embeds it) when it is 0.
   */
  static Ability ability(int index, int dimension) {
    SplittableRandom random = new SplittableRandom(0x5EED_0000L + index);
    int serviceNumber = random.nextInt(SERVICES);
    String service = service(serviceNumber);
    String verb = VERBS.get(random.nextInt(VERBS.size()));
    String noun = NOUNS.get(random.nextInt(NOUNS.size()));
    String field = NOUNS.get(random.nextInt(NOUNS.size())).substring(0, 3) + "_id";
    boolean requiresAuth = random.nextInt(10) < 4;
    String abilityId = String.format(Locale.ROOT, "%s-%s-%s-%07d", service, verb, noun, index);
    String description = String.format(Locale.ROOT, "%s %s records of the %s API. Takes the %s and optional "
        + "paging parameters, and returns each %s with its status, owner and timestamps as JSON.",
        capitalised(verb), noun, service, field, noun);
    Ability.Builder builder = Ability.builder(abilityId)
        .name(capitalised(verb) + " " + capitalised(noun) + " " + index)
        .service(service)
        .description(description)
        .metadata(Map.of(
            "request_method", verb.equals("list") || verb.equals("fetch") || verb.equals("search") ? "GET" : "POST",
            "request_url", "https://api." + service + ".example/v1/" + noun + "s/{" + field + "}",
            "input_schema", Map.of("type", "object", "properties",
                Map.of(field, Map.of("type", "string", "x-in", "path")), "required", List.of(field))));
    if (requiresAuth) {
      builder.dynamicHeaderKey("api." + service + ".example::authorization");
    }
    if (dimension > 0) {
      builder.embedding(Abilities.vector(abilityId, dimension));
    }
    return builder.build();
  }

  /**
   * Returns a short search query such as an agent would ask ({@code list the invoice of a
   * customer}): the {@code index}-th of the {@value #QUERY_TEXTS} combinations of a verb and two
   * nouns, in a scrambled order, so that no text repeats within that many calls.
   */
  static String searchText(int index) {
    int combination = Math.floorMod(index * 7_919L + 12_345L, QUERY_TEXTS);
    return VERBS.get(combination % VERBS.size()) + " the " + NOUNS.get(combination / VERBS.size() % NOUNS.size())
        + " of a " + NOUNS.get(combination / (VERBS.size() * NOUNS.size()));
  }

  private static String capitalised(String word) {
    return Character.toUpperCase(word.charAt(0)) + word.substring(1);
  }
}
