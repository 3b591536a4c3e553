package dev.abilitystore.integration;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Credential values planted by {@link CredentialLeakTest}, and the scanner that looks for them
 * in whatever a sink holds.
 *
 * <p>Every planted value is built around <i>groups</i>: runs of exactly ten random lower-case
 * letters, separated by digits or punctuation ({@code sk_live_abcdefghij7klmnopqrst3uvwxyzabcd}).
 * A group is what the scanner looks for, case-insensitively: it survives JSON and SQL quoting,
 * URL query strings, Lucene's tokenising (which splits at digits and case changes, lower-cases
 * and stems: a group's first seven letters stay) and LZ4 (random letters are stored as literals).
 * Any one group of a value found anywhere is a leak of that value. Ten random letters are
 * 47 bits: a group turns up by chance in nothing the test writes itself.
 *
 * <p><i>Markers</i> are groups of the same shape that are meant to be stored (a word of each
 * description, each ability id): the same scanner must find them where their ability lives, which
 * proves that it reads each sink for real (a scanner of the wrong directory, or of compressed
 * bytes, would find no leak either).
 *
 * <p>Not thread-safe.
 */
final class PlantedSecrets {
  private static final int GROUP = 10;
  /** What Lucene's stemmer leaves of a group, at least. */
  private static final int STEM = 7;

  private final Random random;
  /** group → "place of the value" */
  private final Map<String, String> secretGroups = new HashMap<>();
  private final Map<String, List<String>> groupsByPlace = new TreeMap<>();
  private final Set<String> secretStems = new HashSet<>();
  private final Map<String, String> stemToGroup = new HashMap<>();
  private final Set<String> markerGroups = new HashSet<>();
  private int planted;

  PlantedSecrets(long seed) {
    this.random = new Random(seed);
  }

  Random random() {
    return random;
  }

  /** How many credential values were planted. */
  int count() {
    return planted;
  }

  /** Returns the planted values' counts per place, for the report. */
  Map<String, Integer> countsByPlace() {
    Map<String, Integer> counts = new TreeMap<>();
    groupsByPlace.forEach((place, groups) -> counts.put(place, groups.size()));
    return counts;
  }

  /** A fresh group of ten lower-case letters, unique in this run. */
  private String group() {
    while (true) {
      char[] letters = new char[GROUP];
      for (int i = 0; i < GROUP; i++) {
        letters[i] = (char) ('a' + random.nextInt(26));
      }
      String group = new String(letters);
      if (!secretGroups.containsKey(group) && !markerGroups.contains(group)
          && !stemToGroup.containsKey(group.substring(0, STEM))) {
        return group;
      }
    }
  }

  /**
   * Returns a fresh opaque credential value of three groups joined by digits: 32 characters of
   * [a-z0-9], no recognisable prefix; {@code place} says where it goes, for the report.
   */
  String opaque(String place) {
    String value = secretGroup(place) + random.nextInt(10) + secretGroup(place) + random.nextInt(10)
        + secretGroup(place);
    planted++;
    groupsByPlace.computeIfAbsent(place, key -> new ArrayList<>()).add(value);
    return value;
  }

  /** A JSON Web Token's shape: three base64url parts, the first two starting with {@code eyJ}. */
  String jwt(String place) {
    String value = "eyJ" + secretGroup(place) + "." + "eyJ" + secretGroup(place) + "." + secretGroup(place)
        + random.nextInt(10);
    planted++;
    groupsByPlace.computeIfAbsent(place, key -> new ArrayList<>()).add(value);
    return value;
  }

  private String secretGroup(String place) {
    String group = group();
    secretGroups.put(group, place);
    secretStems.add(group.substring(0, STEM));
    stemToGroup.put(group.substring(0, STEM), group);
    return group;
  }

  /** A fresh marker: a group meant to be stored. */
  String marker() {
    String group = group();
    markerGroups.add(group);
    stemToGroup.put(group.substring(0, STEM), group);
    return group;
  }

  /** What a scan found in one sink: the places of leaked values, and the markers seen. */
  record Findings(String sink, Map<String, String> leaks, Set<String> markers) {
    Findings {
      leaks = Map.copyOf(leaks);
      markers = Set.copyOf(markers);
    }

    /** Lines "sink: place (n values, e.g. …group…)" for the failure message, one per place. */
    List<String> describeLeaks() {
      Map<String, List<String>> byPlace = new TreeMap<>();
      leaks.forEach((group, place) -> byPlace.computeIfAbsent(place, key -> new ArrayList<>()).add(group));
      List<String> lines = new ArrayList<>();
      byPlace.forEach((place, groups) -> lines.add(sink + ": " + place + " (" + groups.size() + " groups, e.g. …"
          + groups.get(0) + "…)"));
      return lines;
    }
  }

  /** Scans text (any case) for every group of ten letters. */
  Findings scan(String sink, CharSequence text) {
    Map<String, String> leaks = new LinkedHashMap<>();
    Set<String> markers = new HashSet<>();
    int length = text.length();
    int runStart = -1;
    for (int i = 0; i <= length; i++) {
      boolean letter = i < length && isAsciiLetter(text.charAt(i));
      if (letter && runStart < 0) {
        runStart = i;
      } else if (!letter && runStart >= 0) {
        int runLength = i - runStart;
        for (int start = runStart; start + GROUP <= i && runLength >= GROUP; start++) {
          String window = text.subSequence(start, start + GROUP).toString().toLowerCase(Locale.ROOT);
          String place = secretGroups.get(window);
          if (place != null) {
            leaks.put(window, place);
          } else if (markerGroups.contains(window)) {
            markers.add(window);
          }
        }
        runStart = -1;
      }
    }
    return new Findings(sink, leaks, markers);
  }

  /** Scans raw bytes, read as ISO-8859-1 so that every byte is one character. */
  Findings scan(String sink, byte[] bytes) {
    return scan(sink, new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1));
  }

  /**
   * Scans the terms of a search index: a term at least seven letters long whose first seven are
   * a group's counts as that group (Lucene stems the group's end).
   */
  Findings scanTerms(String sink, Collection<String> terms) {
    Map<String, String> leaks = new LinkedHashMap<>();
    Set<String> markers = new HashSet<>();
    for (String term : terms) {
      String lower = term.toLowerCase(Locale.ROOT);
      for (int start = 0; start + STEM <= lower.length(); start++) {
        String stem = lower.substring(start, start + STEM);
        String group = stemToGroup.get(stem);
        if (group == null) {
          continue;
        }
        if (secretStems.contains(stem)) {
          leaks.put(group, secretGroups.get(group));
        } else {
          markers.add(group);
        }
      }
    }
    return new Findings(sink, leaks, markers);
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
