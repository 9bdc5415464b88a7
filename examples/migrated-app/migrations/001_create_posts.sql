-- A new table: nothing uses it yet, so its index needs no CONCURRENTLY.
CREATE TABLE posts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title text NOT NULL,
  body text,
  published_at timestamptz
);
CREATE INDEX posts_published_at_idx ON posts (published_at);
