SET lock_timeout = '2s';
SET statement_timeout = '1min';
CREATE TABLE events (
  id bigint NOT NULL,
  happened_at timestamptz NOT NULL,
  payload jsonb
) PARTITION BY RANGE (happened_at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
-- Archive last year's events.
ALTER TABLE audit_log DETACH PARTITION audit_log_2023;
ALTER TABLE audit_log DETACH PARTITION audit_log_2022 CONCURRENTLY;
