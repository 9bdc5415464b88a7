-- migrate:up
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX CONCURRENTLY customers_email_trgm_idx ON customers USING gin (email gin_trgm_ops);

-- migrate:down
DROP INDEX customers_email_trgm_idx;
