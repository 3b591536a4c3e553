-- The original system's table and indexes, column for column (see shared/seed/DUAL_STORAGE.md).
-- IF NOT EXISTS: a database the original TypeScript system created is taken over unchanged.
CREATE TABLE IF NOT EXISTS abilities (
  ability_id TEXT PRIMARY KEY,
  vector_id INTEGER NOT NULL,
  ability_name TEXT NOT NULL,
  service_name TEXT NOT NULL,
  description TEXT NOT NULL,
  embedding JSONB NOT NULL,
  dynamic_header_keys JSONB DEFAULT '[]',
  dynamic_headers_required BOOLEAN DEFAULT false,
  metadata JSONB DEFAULT '{}',
  created_at TIMESTAMP DEFAULT NOW(),
  updated_at TIMESTAMP DEFAULT NOW()
);

CREATE INDEX IF NOT EXISTS idx_abilities_service_name ON abilities(service_name);
CREATE INDEX IF NOT EXISTS idx_abilities_dynamic_headers ON abilities(dynamic_headers_required);
