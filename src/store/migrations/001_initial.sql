-- Keel schema, version 1. Portable SQL; the migration runner replaces {{SERIAL}} (an
-- auto-incrementing primary key), {{C}} (byte-order collation) and {{WITHOUT_ROWID}} per engine.
-- Integers are BIGINT; instants are UTC text "YYYY-MM-DDTHH:MM:SS.mmmZ"; JSON is text.

CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE roles (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  permissions TEXT NOT NULL,
  builtin BIGINT NOT NULL DEFAULT 0,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE teams (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  manager_id TEXT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role_id TEXT NOT NULL REFERENCES roles(id),
  team_id TEXT REFERENCES teams(id),
  locale TEXT NOT NULL DEFAULT 'en',
  time_zone TEXT NOT NULL DEFAULT 'UTC',
  active BIGINT NOT NULL DEFAULT 1,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX users_team ON users(team_id);
CREATE INDEX teams_manager ON teams(manager_id);

-- Login sessions and API tokens. Only a hash of the secret is stored.
CREATE TABLE credentials (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,            -- 'session' | 'api'
  name TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  expires_at TEXT,
  last_used_at TEXT,
  revoked_at TEXT
);
CREATE INDEX credentials_user ON credentials(user_id);

CREATE TABLE login_attempts (
  id {{SERIAL}},
  email TEXT NOT NULL,
  ip TEXT NOT NULL,
  at_ms BIGINT NOT NULL,
  success BIGINT NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts(email, at_ms);
CREATE INDEX login_attempts_ip ON login_attempts(ip, at_ms);

CREATE TABLE idempotency_keys (
  user_id TEXT NOT NULL,
  idem_key TEXT NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status BIGINT NOT NULL,        -- 0 while the first request is still running
  response TEXT NOT NULL DEFAULT '',
  created_at_ms BIGINT NOT NULL,
  PRIMARY KEY (user_id, idem_key)
);
CREATE INDEX idempotency_created ON idempotency_keys(created_at_ms);

CREATE TABLE custom_fields (
  id TEXT PRIMARY KEY,
  entity TEXT NOT NULL,
  name TEXT NOT NULL,
  label TEXT NOT NULL,
  type TEXT NOT NULL,            -- text | number | date | select
  options TEXT NOT NULL DEFAULT '[]',
  required BIGINT NOT NULL DEFAULT 0,
  max_length BIGINT NOT NULL DEFAULT 200,
  position BIGINT NOT NULL DEFAULT 0,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (entity, name)
);

-- Who changed which fields from what to what. Written in the same transaction as the change.
CREATE TABLE audit_log (
  id {{SERIAL}},
  at TEXT NOT NULL,
  user_id TEXT,
  entity TEXT NOT NULL,
  record_id TEXT NOT NULL,
  action TEXT NOT NULL,          -- create | update | delete | restore | convert
  changes TEXT NOT NULL,         -- {"field": [old, new], ...}
  request_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_record ON audit_log(entity, record_id, id);

-- Every committed write, in commit order. Sync, webhooks and reminders read from here.
CREATE TABLE change_log (
  seq {{SERIAL}},
  at TEXT NOT NULL,
  entity TEXT NOT NULL,
  record_id TEXT NOT NULL,
  action TEXT NOT NULL,
  version BIGINT NOT NULL,
  owner_id TEXT,
  user_id TEXT
);
CREATE INDEX change_log_record ON change_log(entity, record_id);

-- Search terms: folded words, CJK suffixes and phone tails; looked up by prefix range.
CREATE TABLE search_index (
  entity TEXT NOT NULL,
  term TEXT {{C}} NOT NULL,
  record_id TEXT NOT NULL,
  PRIMARY KEY (entity, term, record_id)
) {{WITHOUT_ROWID}};
CREATE INDEX search_index_record ON search_index(record_id);

CREATE TABLE accounts (
  id TEXT PRIMARY KEY, version BIGINT NOT NULL, owner_id TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
  deleted_at TEXT, deleted_by TEXT, custom TEXT NOT NULL DEFAULT '{}',
  name TEXT NOT NULL, industry TEXT, website TEXT, phone TEXT, street TEXT, city TEXT, region TEXT,
  postal_code TEXT, country TEXT, tags TEXT, description TEXT
);

CREATE TABLE contacts (
  id TEXT PRIMARY KEY, version BIGINT NOT NULL, owner_id TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
  deleted_at TEXT, deleted_by TEXT, custom TEXT NOT NULL DEFAULT '{}',
  first_name TEXT, last_name TEXT, name TEXT NOT NULL, emails TEXT, phones TEXT, title TEXT,
  account_id TEXT REFERENCES accounts(id), source TEXT, tags TEXT,
  consent_email BIGINT, consent_sms BIGINT, do_not_contact BIGINT, description TEXT
);
CREATE INDEX contacts_account ON contacts(account_id);

CREATE TABLE leads (
  id TEXT PRIMARY KEY, version BIGINT NOT NULL, owner_id TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
  deleted_at TEXT, deleted_by TEXT, custom TEXT NOT NULL DEFAULT '{}',
  first_name TEXT, last_name TEXT, name TEXT NOT NULL, company TEXT, title TEXT, email TEXT, phone TEXT,
  source TEXT, status TEXT, tags TEXT, description TEXT, converted_at TEXT,
  converted_account_id TEXT REFERENCES accounts(id), converted_contact_id TEXT REFERENCES contacts(id),
  converted_deal_id TEXT
);

CREATE TABLE pipelines (
  id TEXT PRIMARY KEY, version BIGINT NOT NULL, owner_id TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
  deleted_at TEXT, deleted_by TEXT, custom TEXT NOT NULL DEFAULT '{}',
  name TEXT NOT NULL, position BIGINT, stages TEXT NOT NULL
);

CREATE TABLE deals (
  id TEXT PRIMARY KEY, version BIGINT NOT NULL, owner_id TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
  deleted_at TEXT, deleted_by TEXT, custom TEXT NOT NULL DEFAULT '{}',
  name TEXT NOT NULL, pipeline_id TEXT REFERENCES pipelines(id), stage_id TEXT, amount_minor BIGINT,
  currency TEXT, expected_close_date TEXT, account_id TEXT REFERENCES accounts(id), contact_ids TEXT,
  status TEXT, probability BIGINT, closed_at TEXT, source TEXT, lost_reason TEXT, tags TEXT, description TEXT
);
CREATE INDEX deals_account ON deals(account_id);
CREATE INDEX deals_stage ON deals(pipeline_id, stage_id);

-- When each deal entered each stage, and who moved it: the raw material of funnel reports.
CREATE TABLE deal_stage_history (
  id {{SERIAL}},
  deal_id TEXT NOT NULL REFERENCES deals(id),
  pipeline_id TEXT,
  from_stage_id TEXT,
  to_stage_id TEXT,
  amount_minor BIGINT,
  currency TEXT,
  at TEXT NOT NULL,
  user_id TEXT NOT NULL
);
CREATE INDEX deal_stage_history_deal ON deal_stage_history(deal_id, id);

CREATE TABLE activities (
  id TEXT PRIMARY KEY, version BIGINT NOT NULL, owner_id TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
  deleted_at TEXT, deleted_by TEXT, custom TEXT NOT NULL DEFAULT '{}',
  type TEXT NOT NULL, subject TEXT, body TEXT, occurred_at TEXT, duration_minutes BIGINT, direction TEXT,
  contact_id TEXT REFERENCES contacts(id), account_id TEXT REFERENCES accounts(id),
  deal_id TEXT REFERENCES deals(id), lead_id TEXT REFERENCES leads(id)
);
CREATE INDEX activities_contact ON activities(contact_id);
CREATE INDEX activities_account ON activities(account_id);
CREATE INDEX activities_deal ON activities(deal_id);
CREATE INDEX activities_lead ON activities(lead_id);

CREATE TABLE tasks (
  id TEXT PRIMARY KEY, version BIGINT NOT NULL, owner_id TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
  deleted_at TEXT, deleted_by TEXT, custom TEXT NOT NULL DEFAULT '{}',
  title TEXT NOT NULL, description TEXT, due_at TEXT, status TEXT, priority TEXT, completed_at TEXT,
  related_entity TEXT, related_id TEXT
);
CREATE INDEX tasks_related ON tasks(related_id);

CREATE TABLE products (
  id TEXT PRIMARY KEY, version BIGINT NOT NULL, owner_id TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
  deleted_at TEXT, deleted_by TEXT, custom TEXT NOT NULL DEFAULT '{}',
  name TEXT NOT NULL, sku TEXT, description TEXT, price_minor BIGINT, currency TEXT NOT NULL, active BIGINT
);

CREATE TABLE orders (
  id TEXT PRIMARY KEY, version BIGINT NOT NULL, owner_id TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
  deleted_at TEXT, deleted_by TEXT, custom TEXT NOT NULL DEFAULT '{}',
  number TEXT, account_id TEXT REFERENCES accounts(id), contact_id TEXT REFERENCES contacts(id), status TEXT,
  ordered_on TEXT, currency TEXT NOT NULL, items TEXT NOT NULL, total_minor BIGINT NOT NULL, notes TEXT
);
CREATE INDEX orders_account ON orders(account_id);
CREATE INDEX orders_contact ON orders(contact_id);
CREATE INDEX accounts_owner ON accounts(owner_id, created_at, id);
CREATE INDEX accounts_created ON accounts(created_at, id);
CREATE INDEX accounts_updated ON accounts(updated_at, id);
CREATE INDEX contacts_owner ON contacts(owner_id, created_at, id);
CREATE INDEX contacts_created ON contacts(created_at, id);
CREATE INDEX contacts_updated ON contacts(updated_at, id);
CREATE INDEX leads_owner ON leads(owner_id, created_at, id);
CREATE INDEX leads_created ON leads(created_at, id);
CREATE INDEX leads_updated ON leads(updated_at, id);
CREATE INDEX pipelines_owner ON pipelines(owner_id, created_at, id);
CREATE INDEX pipelines_created ON pipelines(created_at, id);
CREATE INDEX pipelines_updated ON pipelines(updated_at, id);
CREATE INDEX deals_owner ON deals(owner_id, created_at, id);
CREATE INDEX deals_created ON deals(created_at, id);
CREATE INDEX deals_updated ON deals(updated_at, id);
CREATE INDEX activities_owner ON activities(owner_id, created_at, id);
CREATE INDEX activities_created ON activities(created_at, id);
CREATE INDEX activities_updated ON activities(updated_at, id);
CREATE INDEX tasks_owner ON tasks(owner_id, created_at, id);
CREATE INDEX tasks_created ON tasks(created_at, id);
CREATE INDEX tasks_updated ON tasks(updated_at, id);
CREATE INDEX products_owner ON products(owner_id, created_at, id);
CREATE INDEX products_created ON products(created_at, id);
CREATE INDEX products_updated ON products(updated_at, id);
CREATE INDEX orders_owner ON orders(owner_id, created_at, id);
CREATE INDEX orders_created ON orders(created_at, id);
CREATE INDEX orders_updated ON orders(updated_at, id);
CREATE INDEX accounts_name ON accounts(name, id);
CREATE INDEX contacts_name ON contacts(name, id);
CREATE INDEX leads_name ON leads(name, id);
CREATE INDEX deals_name ON deals(name, id);
CREATE INDEX deals_amount ON deals(amount_minor, id);
CREATE INDEX deals_close ON deals(expected_close_date, id);
CREATE INDEX activities_occurred ON activities(occurred_at, id);
CREATE INDEX tasks_due ON tasks(due_at, id);
CREATE INDEX tasks_owner_due ON tasks(owner_id, due_at, id);
CREATE INDEX products_name ON products(name, id);
CREATE INDEX orders_ordered ON orders(ordered_on, id);
