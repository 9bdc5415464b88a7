-- Runs outside a transaction (the job plans it "notx"); IF NOT EXISTS makes a retry safe.
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS posts_slug_key ON posts (slug);
