-- A pipeline may require a reason when a deal is lost (service/rules/deal_rules.cc); NULL reads
-- as false, the value of every pipeline made before the setting existed.
ALTER TABLE pipelines ADD COLUMN require_lost_reason BIGINT;

-- Activities are listed by when they happened; one logged without a time happened when it was
-- logged (service/rules/activity_rules.cc does the same for new ones).
UPDATE activities SET occurred_at = created_at WHERE occurred_at IS NULL;
