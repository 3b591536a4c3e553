-- Additions only: the original's columns, types and indexes stay as they are, and the
-- original's Drizzle and psql queries keep working (the new column is nullable).

-- SHA-256 of the canonical content, so that an unchanged ability is never rewritten and the
-- reconciler compares hashes instead of rows. NULL means "not known": rows another writer made.
ALTER TABLE abilities ADD COLUMN IF NOT EXISTS content_hash TEXT;

-- Another writer (the original system, psql) that changes a row without knowing about
-- content_hash would leave a stale hash behind; this trigger clears it instead.
CREATE OR REPLACE FUNCTION abilitystore_clear_stale_content_hash() RETURNS trigger AS $$
BEGIN
  IF NEW.content_hash IS NOT DISTINCT FROM OLD.content_hash THEN
    IF NEW.ability_id IS DISTINCT FROM OLD.ability_id
        OR NEW.ability_name IS DISTINCT FROM OLD.ability_name
        OR NEW.service_name IS DISTINCT FROM OLD.service_name
        OR NEW.description IS DISTINCT FROM OLD.description
        OR NEW.embedding IS DISTINCT FROM OLD.embedding
        OR NEW.dynamic_header_keys IS DISTINCT FROM OLD.dynamic_header_keys
        OR NEW.metadata IS DISTINCT FROM OLD.metadata THEN
      NEW.content_hash := NULL;
    END IF;
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS abilities_clear_stale_content_hash ON abilities;
CREATE TRIGGER abilities_clear_stale_content_hash
  BEFORE UPDATE ON abilities
  FOR EACH ROW EXECUTE PROCEDURE abilitystore_clear_stale_content_hash();

-- Every store scans ability ids by code point (UTF-8 byte order), which is COLLATE "C";
-- the primary key's index follows the database collation and cannot serve that order.
CREATE INDEX IF NOT EXISTS idx_abilities_ability_id_c ON abilities (ability_id COLLATE "C");

-- Substring filters on name and description use trigram indexes where pg_trgm can be had
-- (it is a trusted extension since PostgreSQL 13); without it they still work, by scanning.
DO $$
BEGIN
  BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
  EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm is not available (%): text filters will scan the table', SQLERRM;
  END;
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    EXECUTE 'CREATE INDEX IF NOT EXISTS idx_abilities_name_trgm ON abilities USING gin (ability_name gin_trgm_ops)';
    EXECUTE 'CREATE INDEX IF NOT EXISTS idx_abilities_description_trgm ON abilities USING gin (description gin_trgm_ops)';
  END IF;
END
$$;

-- A 3072-dimension embedding is ~40 KB of JSON: lz4 compresses it faster than the default pglz.
-- Storage only; the column's type is unchanged. PostgreSQL 14+ built with lz4.
DO $$
BEGIN
  IF current_setting('server_version_num')::int >= 140000 THEN
    BEGIN
      EXECUTE 'ALTER TABLE abilities ALTER COLUMN embedding SET COMPRESSION lz4';
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE 'lz4 compression is not available (%): embeddings keep the default compression', SQLERRM;
    END;
  END IF;
END
$$;
