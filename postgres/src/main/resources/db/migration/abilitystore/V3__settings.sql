-- Settings of the store as a whole, one row per key: for now the embedder that made the stored
-- vectors (embedder.model, embedder.dimension), so that opening the store with another model is
-- refused instead of silently mixing incomparable vectors. A table of its own: the original
-- system's abilities table stays as it is.
CREATE TABLE IF NOT EXISTS abilitystore_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
