-- Idempotent keyed batch: rerunning it touches only rows still without a slug.
UPDATE posts SET slug = lower(replace(title, ' ', '-')) WHERE id > 0 AND id <= 1000 AND slug IS NULL;
