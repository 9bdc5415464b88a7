DELETE FROM sessions WHERE expires_at < now();
ALTER TABLE sessions ADD COLUMN user_agent text;
CREATE INDEX sessions_customer_id_idx ON sessions (customer_id);
BEGIN;
LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE;
ALTER TABLE sessions ADD COLUMN ip inet;
UPDATE sessions SET ip = '0.0.0.0' WHERE ip IS NULL;
COMMIT;
