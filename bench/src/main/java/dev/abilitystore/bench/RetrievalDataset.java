package dev.abilitystore.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.abilitystore.Ability;
import dev.abilitystore.json.AbilityJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A retrieval test collection: a corpus of abilities (JSON Lines in the project's own format) and
 * queries ({@code {"query": ..., "relevant": [ability_id, ...]}} per line), read where they lie.
 *
 * @param corpus the abilities, in file order
 * @param queries the queries, in file order
 */
record RetrievalDataset(List<Ability> corpus, List<Query> queries) {
  static final String CORPUS_FILE = "abilities-corpus.jsonl";
  static final String QUERIES_FILE = "dev-queries.jsonl";

  /** A query and the ids of the abilities that answer it (binary relevance). */
  record Query(String id, String text, Set<String> relevant) {}

  static RetrievalDataset read(Path directory) throws IOException {
    List<Ability> corpus = new ArrayList<>();
    try (BufferedReader lines = Files.newBufferedReader(directory.resolve(CORPUS_FILE))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (!line.isBlank()) {
          corpus.add(AbilityJson.fromJson(line));
        }
      }
    }
    ObjectMapper json = new ObjectMapper();
    List<Query> queries = new ArrayList<>();
    try (BufferedReader lines = Files.newBufferedReader(directory.resolve(QUERIES_FILE))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = json.readTree(line);
        Set<String> relevant = new LinkedHashSet<>();
        node.path("relevant").forEach(id -> relevant.add(id.asText()));
        String id = node.hasNonNull("qid") ? node.get("qid").asText() : "q" + queries.size();
        queries.add(new Query(id, node.path("query").asText(), Set.copyOf(relevant)));
      }
    }
    return new RetrievalDataset(List.copyOf(corpus), List.copyOf(queries));
  }
}
