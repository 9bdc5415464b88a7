-- The article's expand step: a nullable column, no default, a brief lock only.
ALTER TABLE posts ADD COLUMN slug text;
