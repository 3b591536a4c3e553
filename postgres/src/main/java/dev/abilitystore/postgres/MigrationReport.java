package dev.abilitystore.postgres;

import java.util.List;

/**
 * What a migration run did.
 *
 * @param applied the migrations applied by this run, as {@code V2 content hash and scan order}
 * @param schemaVersion the schema version afterwards
 */
public record MigrationReport(List<String> applied, String schemaVersion) {
  public MigrationReport {
    applied = List.copyOf(applied);
  }
}
