-- A replayed answer repeats the first answer's headers too (Location, ETag, Content-Type), not
-- only its status and body: a JSON object {"content_type": ..., "headers": [[name, value], ...]}.
ALTER TABLE idempotency_keys ADD COLUMN response_meta TEXT NOT NULL DEFAULT '{}';
