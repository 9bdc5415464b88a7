-- migrate:up
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';
ALTER TABLE customers ADD COLUMN loyalty_points int NOT NULL;
ALTER TABLE customers ADD COLUMN tier text NOT NULL DEFAULT 'bronze';
ALTER TABLE customers ADD COLUMN score_cache numeric GENERATED ALWAYS AS (loyalty_points * 1.5) STORED;
ALTER TABLE customers ALTER COLUMN loyalty_points SET DEFAULT 0;

-- migrate:down
ALTER TABLE customers DROP COLUMN score_cache, DROP COLUMN tier, DROP COLUMN loyalty_points;
