-- Backups the server made, from the backup screen (POST /api/v1/admin/backups) or on schedule
-- (service/backups.h). A row is kept after its file is pruned, so the history shows what happened.
CREATE TABLE backups (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,             -- manual | scheduled
  status TEXT NOT NULL,           -- running | ok | failed
  requested_by TEXT,              -- the user who asked; NULL for a scheduled backup
  server TEXT NOT NULL,           -- host name of the server that made it: the file is on its disk
  started_at TEXT NOT NULL,
  heartbeat_at TEXT NOT NULL,     -- moved while it runs; a running backup whose heartbeat stopped was interrupted
  finished_at TEXT,
  file_name TEXT,                 -- inside the server's backup directory
  size_bytes BIGINT,
  sha256 TEXT,
  schema_version BIGINT,
  verified_at TEXT,               -- when the written file was read back and found restorable
  error TEXT,
  pruned_at TEXT                  -- when the file was deleted to keep only the newest ones
);
CREATE INDEX backups_started ON backups(started_at);

-- The audit log screen filters by user and by record (GET /api/v1/audit?user_id=...&record_id=...),
-- newest first.
CREATE INDEX audit_user ON audit_log(user_id, id);
CREATE INDEX audit_record_only ON audit_log(record_id, id);
