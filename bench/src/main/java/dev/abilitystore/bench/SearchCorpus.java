package dev.abilitystore.bench;

import dev.abilitystore.Ability;
import dev.abilitystore.Embedding;
import dev.abilitystore.testing.Abilities;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Seeded synthetic abilities with API-like text, for searches by vector, keyword and both at any
 * size: {@link Abilities#simple} (id {@code a<i>}, service {@code svc-<i mod 100>}, every other one
 * needing credentials) with a snake_case name such as {@code list_pending_invoice_refunds} and a
 * two-sentence description drawn from a vocabulary of API words. Nouns follow a Zipf-like law, as
 * words of real catalogues do, so query terms range from a few hundred postings to a tenth of the
 * catalogue. The text is independent of the embedding (the vectors are clustered noise), so the
 * vector and keyword lists of a hybrid search overlap by chance only. Deterministic per index.
 */
final class SearchCorpus {
  /** Services {@code svc-0} to {@code svc-99}: one service filter selects 1 % of the abilities. */
  static final int SERVICES = 100;
  /** A service that the {@code service} filter of the benchmarks selects. */
  static final String FILTER_SERVICE = "svc-7";

  private static final String[] VERBS = {"get", "list", "create", "update", "delete", "search", "fetch", "send",
      "cancel", "refund", "upload", "download", "retrieve", "find", "add", "remove", "archive", "restore",
      "approve", "reject", "schedule", "publish", "subscribe", "verify", "export", "import", "sync", "validate",
      "transfer", "assign", "rename", "merge", "translate", "convert", "track", "book", "rate", "share"};
  private static final String[] ADJECTIVES = {"active", "pending", "recent", "public", "private", "monthly",
      "daily", "current", "popular", "archived", "shared", "default", "latest", "upcoming", "failed", "open",
      "closed", "verified", "draft", "scheduled", "trending", "nearby", "historical", "weekly", "global", "local",
      "featured", "recurring", "expired", "primary"};
  private static final String[] NOUNS = {"user", "repository", "issue", "invoice", "customer", "payment",
      "order", "product", "price", "subscription", "account", "message", "channel", "file", "folder", "document",
      "event", "calendar", "contact", "ticket", "comment", "project", "task", "team", "member", "organization",
      "webhook", "token", "key", "secret", "report", "metric", "dashboard", "alert", "incident", "deployment",
      "build", "pipeline", "release", "branch", "commit", "tag", "label", "milestone", "playlist", "track",
      "album", "artist", "song", "movie", "show", "episode", "season", "genre", "book", "author", "review",
      "rating", "recipe", "ingredient", "restaurant", "menu", "reservation", "hotel", "flight", "airport",
      "booking", "route", "location", "address", "city", "country", "weather", "forecast", "temperature",
      "stock", "quote", "currency", "exchange", "rate", "transaction", "balance", "transfer", "card", "wallet",
      "coupon", "discount", "cart", "shipment", "package", "carrier", "warehouse", "inventory", "supplier",
      "employee", "candidate", "job", "application", "interview", "course", "lesson", "student", "teacher",
      "grade", "assignment", "exam", "question", "answer", "poll", "survey", "response", "form", "field",
      "record", "table", "database", "query", "index", "schema", "backup", "snapshot", "volume", "instance",
      "cluster", "node", "container", "image", "video", "photo", "thumbnail", "caption", "transcript", "language",
      "translation", "word", "definition", "article", "news", "headline", "source", "feed", "post", "thread",
      "reply", "reaction", "follower", "friend", "group", "page", "profile", "avatar", "setting", "preference",
      "notification", "email", "sms", "call", "recording", "meeting", "room", "device", "sensor", "reading",
      "vehicle", "trip", "driver", "ride", "parking", "station", "train", "bus", "schedule", "stop", "game",
      "player", "score", "match", "league", "tournament", "pokemon", "ability", "move", "item", "character",
      "planet", "spacecraft", "launch", "asteroid", "satellite", "gene", "protein", "compound", "patient",
      "appointment", "prescription", "doctor", "clinic", "claim", "policy", "quota", "usage", "log", "trace",
      "domain", "certificate", "dns", "ip", "network", "firewall", "permission", "role", "session", "license"};
  /** Cumulative Zipf-like weights (exponent 0.9) of {@link #NOUNS}, the first noun the most frequent. */
  private static final double[] NOUN_WEIGHTS = cumulative(NOUNS.length, 0.9);

  private SearchCorpus() {}

  /** Returns ability {@code i} of the corpus, with {@code vector} as its embedding. */
  static Ability ability(int i, float[] vector) {
    SplittableRandom random = new SplittableRandom(0x5EED_0000L + i);
    String verb = pick(random, VERBS);
    String adjective = pick(random, ADJECTIVES);
    String noun = noun(random);
    String other = noun(random);
    String name = verb + "_" + adjective + "_" + noun + "_" + plural(other);
    String description = capitalise(verb) + " the " + adjective + " " + plural(other) + " of a " + noun + " by "
        + noun(random) + " and " + noun(random) + ". Returns the " + noun(random) + " " + noun(random) + ", its "
        + pick(random, ADJECTIVES) + " " + noun(random) + " and the " + plural(noun(random)) + " of the given "
        + noun(random) + ".";
    return Abilities.simple("a" + i, "svc-" + (i % SERVICES), i % 2 == 0, vector.length).toBuilder()
        .name(name)
        .description(description)
        .build()
        .withEmbedding(Embedding.of(vector));
  }

  /** Returns a short keyword query as users type them, such as {@code "list pending invoice refunds"}. */
  static String query(SplittableRandom random) {
    StringBuilder text = new StringBuilder(pick(random, VERBS));
    if (random.nextBoolean()) {
      text.append(' ').append(pick(random, ADJECTIVES));
    }
    text.append(' ').append(noun(random));
    if (random.nextInt(3) > 0) {
      text.append(' ').append(plural(noun(random)));
    }
    return text.toString();
  }

  private static String noun(SplittableRandom random) {
    double target = random.nextDouble() * NOUN_WEIGHTS[NOUN_WEIGHTS.length - 1];
    int low = 0;
    int high = NOUN_WEIGHTS.length - 1;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (NOUN_WEIGHTS[middle] < target) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return NOUNS[low];
  }

  private static String pick(SplittableRandom random, String[] words) {
    return words[random.nextInt(words.length)];
  }

  private static String plural(String noun) {
    return noun.endsWith("s") || noun.endsWith("x") || noun.endsWith("ch") ? noun + "es"
        : noun.endsWith("y") && !noun.endsWith("ey") && !noun.endsWith("ay") ? noun.substring(0, noun.length() - 1)
        + "ies" : noun + "s";
  }

  private static String capitalise(String word) {
    return word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1);
  }

  private static double[] cumulative(int count, double exponent) {
    double[] weights = new double[count];
    double sum = 0;
    for (int rank = 0; rank < count; rank++) {
      sum += 1 / Math.pow(rank + 1, exponent);
      weights[rank] = sum;
    }
    return weights;
  }
}
