-- Offline sync (service/sync.h): the devices that sync, what each one was sent, and the answer
-- to every mutation each one pushed.
CREATE TABLE sync_devices (
  id TEXT PRIMARY KEY,                  -- chosen by the device (a UUID)
  user_id TEXT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL DEFAULT '',        -- what the device calls itself ("Chrome on Android")
  credential_id TEXT,                   -- the session it last synced with (revoking the device ends it)
  epoch BIGINT NOT NULL DEFAULT 0,      -- its current snapshot: sync_sent rows of older ones are gone
  scope_key TEXT NOT NULL DEFAULT '',   -- fingerprint of the read scope its data was chosen under
  acked_seq BIGINT NOT NULL DEFAULT 0,  -- change-log position the device has confirmed holding
  pulls BIGINT NOT NULL DEFAULT 0,
  pushes BIGINT NOT NULL DEFAULT 0,
  applied BIGINT NOT NULL DEFAULT 0,    -- mutations applied or merged
  conflicts BIGINT NOT NULL DEFAULT 0,
  rejected BIGINT NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  last_pull_at TEXT,
  last_push_at TEXT,
  expired_at TEXT,                      -- forgotten as stale: its cursor is answered 410
  revoked_at TEXT,
  revoked_by TEXT
);
CREATE INDEX sync_devices_user ON sync_devices(user_id);

-- The records a device may hold: every record it was sent and not yet told is deleted or gone.
-- "gone" entries are computed from it, so they name only records that device was sent.
CREATE TABLE sync_sent (
  device_id TEXT NOT NULL,
  entity TEXT NOT NULL,
  record_id TEXT NOT NULL,
  epoch BIGINT NOT NULL,                -- the snapshot that last sent it (or 0 for catch-up)
  removed_seq BIGINT,                   -- a delete or gone was sent at this log position
  PRIMARY KEY (device_id, entity, record_id)
) {{WITHOUT_ROWID}};

-- Each pushed mutation's answer, written in the same transaction as the mutation itself, so a
-- batch sent again after a lost answer writes nothing twice and gets the same answers.
CREATE TABLE sync_mutations (
  device_id TEXT NOT NULL,
  mutation_id TEXT NOT NULL,
  outcome TEXT NOT NULL,                -- applied, merged, conflict, rejected
  entity TEXT NOT NULL,
  record_id TEXT NOT NULL,
  result TEXT NOT NULL,                 -- the answer as JSON
  at TEXT NOT NULL,
  PRIMARY KEY (device_id, mutation_id)
) {{WITHOUT_ROWID}};
CREATE INDEX sync_mutations_outcome ON sync_mutations(device_id, outcome, at);
CREATE INDEX sync_mutations_at ON sync_mutations(at);
CREATE INDEX change_log_at ON change_log(at);
