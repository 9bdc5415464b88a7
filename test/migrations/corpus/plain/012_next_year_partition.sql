-- The yearly partition, added the way most teams do it.
SET lock_timeout = '2s';
SET statement_timeout = '30s';
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
