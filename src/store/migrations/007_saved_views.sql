-- Saved views of the lists (service/saved_views.h): a list's query and columns under a name,
-- personal or shared with the owner's team.
CREATE TABLE saved_views (
  id TEXT PRIMARY KEY,
  entity TEXT NOT NULL,
  name TEXT NOT NULL,
  query TEXT NOT NULL DEFAULT '',   -- the list's URL query string (filters, q, sort)
  columns TEXT NOT NULL DEFAULT '[]', -- JSON array of field names
  shared BIGINT NOT NULL DEFAULT 0,
  owner_id TEXT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX saved_views_owner_name ON saved_views(owner_id, entity, name);
CREATE INDEX saved_views_entity ON saved_views(entity, shared);
