-- A contact's, lead's or deal's source becomes one of a fixed list of codes (domain/entities.cc:
-- source()), which the app shows in the reader's language. Free text stored before is mapped:
-- a known spelling (any case, surrounding spaces, '-' or '_' for a space) to its code; anything
-- else to 'other', its text kept at the end of the record's description as "Source: TEXT" so
-- that nothing anyone typed is lost. Empty text is no source (NULL).
--
-- The records' versions are not bumped: the change is the schema's, not a user's, and every
-- current version keeps its change-log entry (keel check). Neither field is searchable, so the
-- search index is unchanged.
CREATE TABLE source_spellings (spelling TEXT PRIMARY KEY, code TEXT NOT NULL);
INSERT INTO source_spellings (spelling, code) VALUES
  ('website', 'website'),
  ('web', 'website'),
  ('web site', 'website'),
  ('websites', 'website'),
  ('internet', 'website'),
  ('online', 'website'),
  ('homepage', 'website'),
  ('home page', 'website'),
  ('官网', 'website'),
  ('网站', 'website'),
  ('referral', 'referral'),
  ('referrals', 'referral'),
  ('referred', 'referral'),
  ('word of mouth', 'referral'),
  ('customer referral', 'referral'),
  ('推荐', 'referral'),
  ('客户推荐', 'referral'),
  ('转介绍', 'referral'),
  ('trade show', 'trade_show'),
  ('tradeshow', 'trade_show'),
  ('trade shows', 'trade_show'),
  ('trade fair', 'trade_show'),
  ('exhibition', 'trade_show'),
  ('expo', 'trade_show'),
  ('展会', 'trade_show'),
  ('展览会', 'trade_show'),
  ('advertisement', 'advertisement'),
  ('advertising', 'advertisement'),
  ('ad', 'advertisement'),
  ('ads', 'advertisement'),
  ('advert', 'advertisement'),
  ('adverts', 'advertisement'),
  ('广告', 'advertisement'),
  ('cold call', 'cold_call'),
  ('cold calling', 'cold_call'),
  ('coldcall', 'cold_call'),
  ('cold calls', 'cold_call'),
  ('陌生电话', 'cold_call'),
  ('电话营销', 'cold_call'),
  ('email campaign', 'email_campaign'),
  ('email', 'email_campaign'),
  ('e mail', 'email_campaign'),
  ('email marketing', 'email_campaign'),
  ('newsletter', 'email_campaign'),
  ('mailing', 'email_campaign'),
  ('邮件', 'email_campaign'),
  ('邮件营销', 'email_campaign'),
  ('social media', 'social_media'),
  ('social', 'social_media'),
  ('wechat', 'social_media'),
  ('linkedin', 'social_media'),
  ('weibo', 'social_media'),
  ('facebook', 'social_media'),
  ('twitter', 'social_media'),
  ('社交媒体', 'social_media'),
  ('微信', 'social_media'),
  ('微博', 'social_media'),
  ('partner', 'partner'),
  ('partners', 'partner'),
  ('reseller', 'partner'),
  ('channel partner', 'partner'),
  ('合作伙伴', 'partner'),
  ('渠道', 'partner'),
  ('event', 'event'),
  ('events', 'event'),
  ('conference', 'event'),
  ('seminar', 'event'),
  ('webinar', 'event'),
  ('活动', 'event'),
  ('会议', 'event'),
  ('研讨会', 'event'),
  ('other', 'other'),
  ('others', 'other'),
  ('misc', 'other'),
  ('其他', 'other');

UPDATE contacts SET source = NULL WHERE TRIM(source) = '';
UPDATE contacts
  SET description = CASE WHEN description IS NULL OR TRIM(description) = '' THEN 'Source: ' || source
                         ELSE description || '

Source: ' || source END,
      source = 'other'
  WHERE source IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM source_spellings s WHERE s.spelling = REPLACE(REPLACE(LOWER(TRIM(contacts.source)), '-', ' '), '_', ' '));
UPDATE contacts SET source = (SELECT s.code FROM source_spellings s WHERE s.spelling = REPLACE(REPLACE(LOWER(TRIM(contacts.source)), '-', ' '), '_', ' '))
  WHERE source IS NOT NULL;

UPDATE leads SET source = NULL WHERE TRIM(source) = '';
UPDATE leads
  SET description = CASE WHEN description IS NULL OR TRIM(description) = '' THEN 'Source: ' || source
                         ELSE description || '

Source: ' || source END,
      source = 'other'
  WHERE source IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM source_spellings s WHERE s.spelling = REPLACE(REPLACE(LOWER(TRIM(leads.source)), '-', ' '), '_', ' '));
UPDATE leads SET source = (SELECT s.code FROM source_spellings s WHERE s.spelling = REPLACE(REPLACE(LOWER(TRIM(leads.source)), '-', ' '), '_', ' '))
  WHERE source IS NOT NULL;

UPDATE deals SET source = NULL WHERE TRIM(source) = '';
UPDATE deals
  SET description = CASE WHEN description IS NULL OR TRIM(description) = '' THEN 'Source: ' || source
                         ELSE description || '

Source: ' || source END,
      source = 'other'
  WHERE source IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM source_spellings s WHERE s.spelling = REPLACE(REPLACE(LOWER(TRIM(deals.source)), '-', ' '), '_', ' '));
UPDATE deals SET source = (SELECT s.code FROM source_spellings s WHERE s.spelling = REPLACE(REPLACE(LOWER(TRIM(deals.source)), '-', ' '), '_', ' '))
  WHERE source IS NOT NULL;

DROP TABLE source_spellings;
