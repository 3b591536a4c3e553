-- Structured queries page by ability id within a service: with only the service index and the id
-- index, PostgreSQL walked the id index and filtered, discarding up to most of the table for a
-- service whose ids sort late (ids begin with the service name). This index answers
-- `service_name = ... ORDER BY ability_id COLLATE "C" LIMIT n` in order.
CREATE INDEX IF NOT EXISTS idx_abilities_service_id_c ON abilities (service_name, ability_id COLLATE "C");
