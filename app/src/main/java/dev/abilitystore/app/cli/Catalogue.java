package dev.abilitystore.app.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.abilitystore.Ability;
import dev.abilitystore.AbilityQuery;
import dev.abilitystore.Page;
import dev.abilitystore.SearchRequest;
import dev.abilitystore.SearchResult;
import dev.abilitystore.SecondaryState;
import dev.abilitystore.ServiceCount;
import dev.abilitystore.StoreResult;
import dev.abilitystore.sync.SyncDirection;
import dev.abilitystore.sync.SyncProgress;
import dev.abilitystore.sync.SyncReport;
import java.util.List;
import java.util.Optional;

/**
 * What the commands read and write: the stores opened in this process ({@link LocalCatalogue})
 * or a running server behind {@code --url} ({@link RemoteCatalogue}), so that each command is
 * written once and prints the same either way.
 */
interface Catalogue extends AutoCloseable {
  /** Returns where the catalogue is, for messages: the data directory or the server's URL. */
  String location();

  /** Returns the dimension of the store's vectors. */
  int dimension();

  /** True when PostgreSQL is configured as the second store. */
  boolean postgresConfigured();

  /** Returns the ability with this id, with its embedding if asked. */
  Optional<Ability> get(String abilityId, boolean includeEmbedding);

  /** Returns one page of a structured query, the abilities with their embeddings if asked. */
  Page<Ability> query(AbilityQuery query, boolean includeEmbedding);

  /** Searches by meaning, keyword or both. */
  SearchResult search(SearchRequest request);

  /** Returns the ability counts per service. */
  List<ServiceCount> serviceCounts();

  /** Returns counts, health, the replication queue and the last sync, with the API's snake_case names. */
  ObjectNode stats();

  /** Reconciles the index and PostgreSQL. */
  SyncReport sync(SyncDirection direction, boolean dryRun, SyncProgress progress);

  /** Deletes those of these abilities that exist. */
  Deletion delete(List<String> abilityIds);

  /** Stores a batch of at most 1,000 abilities. */
  StoreResult store(List<Ability> abilities);

  @Override
  void close();

  /**
   * What a delete did.
   *
   * @param deleted the ids that existed and were deleted
   * @param secondary where the deletes stand in PostgreSQL
   */
  record Deletion(List<String> deleted, SecondaryState secondary) {
    public Deletion {
      deleted = List.copyOf(deleted);
    }
  }
}
