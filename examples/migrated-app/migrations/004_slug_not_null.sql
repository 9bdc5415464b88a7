-- NOT VALID first (brief lock, no scan); VALIDATE in a separate migration lets writes go on.
ALTER TABLE posts ADD CONSTRAINT posts_slug_not_null CHECK (slug IS NOT NULL) NOT VALID;
