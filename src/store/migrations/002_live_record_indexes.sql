-- Partial indexes over live (not trashed) records in the default list order. A first list page
-- counts up to 10,001 matching rows; with these, the count reads a narrow index instead of
-- whole records, and the default page reads its 50 rows from the index order directly.
CREATE INDEX accounts_live_created ON accounts(created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_live_created ON contacts(created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_live_created ON leads(created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX deals_live_created ON deals(created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX activities_live_created ON activities(created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX tasks_live_created ON tasks(created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX products_live_created ON products(created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX orders_live_created ON orders(created_at, id) WHERE deleted_at IS NULL;
