-- Usage analytics: how often each ability was found by searches and fetched by id.
CREATE TABLE IF NOT EXISTS abilitystore_usage (
  ability_id   TEXT PRIMARY KEY,
  service_name TEXT NOT NULL,
  hits         BIGINT NOT NULL DEFAULT 0,
  fetches      BIGINT NOT NULL DEFAULT 0,
  last_used_at TIMESTAMPTZ
);

CREATE TABLE IF NOT EXISTS abilitystore_usage_totals (
  name  TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);
