package dev.abilitystore.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.abilitystore.StoreUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Usage counts in a JSON file ({@code usage.json}) in the data directory, for deployments
 * without PostgreSQL. The counts live in memory and every {@link #add} rewrites the file
 * atomically (write, then rename), so a crash leaves the last complete version. Thread-safe.
 */
public final class FileUsageStore implements UsageStore {
  public static final String FILE_NAME = "usage.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Map<String, AbilityUsage> abilities = new HashMap<>();
  private long searches;

  private FileUsageStore(Path file) {
    this.file = file;
  }

  /** Opens the counts kept in {@code directory}, or none yet. */
  public static FileUsageStore open(Path directory) {
    FileUsageStore store = new FileUsageStore(directory.resolve(FILE_NAME));
    try {
      Files.createDirectories(directory);
      if (Files.exists(store.file)) {
        store.read(JSON.readTree(store.file.toFile()));
      }
    } catch (IOException e) {
      throw new StoreUnavailableException("[Usage] cannot read " + store.file + ": " + e.getMessage()
          + " (delete it to start counting afresh)", e);
    }
    return store;
  }

  private void read(JsonNode root) {
    searches = root.path("searches").asLong();
    for (JsonNode node : root.path("abilities")) {
      String lastUsed = node.path("last_used_at").asText(null);
      AbilityUsage usage = new AbilityUsage(node.path("ability_id").asText(), node.path("service_name").asText(),
          node.path("hits").asLong(), node.path("fetches").asLong(), lastUsed == null ? null : Instant.parse(lastUsed));
      abilities.put(usage.abilityId(), usage);
    }
  }

  @Override
  public synchronized void add(long searches, Collection<AbilityUsage> increments) {
    this.searches += searches;
    for (AbilityUsage increment : increments) {
      abilities.merge(increment.abilityId(), increment, AbilityUsage::plus);
    }
    write();
  }

  @Override
  public synchronized UsageReport report(int top) {
    return UsageReports.of(searches, abilities.values(), top);
  }

  private void write() {
    ObjectNode root = JSON.createObjectNode();
    root.put("searches", searches);
    ArrayNode list = root.putArray("abilities");
    for (AbilityUsage usage : abilities.values()) {
      ObjectNode node = list.addObject();
      node.put("ability_id", usage.abilityId());
      node.put("service_name", usage.serviceName());
      node.put("hits", usage.hits());
      node.put("fetches", usage.fetches());
      if (usage.lastUsedAt() != null) {
        node.put("last_used_at", usage.lastUsedAt().toString());
      }
    }
    Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
    try {
      JSON.writeValue(temporary.toFile(), root);
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new StoreUnavailableException("[Usage] cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
