ALTER TABLE posts VALIDATE CONSTRAINT posts_slug_not_null;
