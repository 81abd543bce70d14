-- Custom SQL migration file, put your code below! --
-- Raw events partitioned by day (RANGE on ts, UTC days), so that retention drops a day's partition
-- instead of deleting its rows one by one. The table written so far is not copied: it becomes the
-- partition `events_before`, for every ts before the end of its last day up to today (UTC; 1970 when
-- it is empty), and keeps its indexes. Day partitions (`events_dYYYYMMDD`) are created by the store as days come
-- (src/db/postgres/partitions.ts); `events_later` (the default partition) takes any other ts.
-- PostgreSQL 15 has no identity columns on partitioned tables: `id` takes a sequence that goes on
-- from the largest id, and the primary key is (id, ts), as a partitioned table's must hold ts.
DO $$
DECLARE
  tomorrow bigint := (floor(extract(epoch FROM now()) / 86400)::bigint + 1) * 86400000;
  cutoff bigint;
  next_id bigint;
BEGIN
  SELECT coalesce((floor(max(ts) / 86400000.0)::bigint + 1) * 86400000, 0) INTO cutoff FROM events WHERE ts < tomorrow;
  ALTER TABLE events RENAME TO events_before;
  ALTER TABLE events_before DROP CONSTRAINT events_pkey;
  ALTER INDEX events_site_ts RENAME TO events_before_site_ts;
  ALTER INDEX events_site_ip_ts RENAME TO events_before_site_ip_ts;
  ALTER INDEX events_site_country_ts RENAME TO events_before_site_country_ts;
  ALTER INDEX events_site_path_ts RENAME TO events_before_site_path_ts;
  ALTER INDEX events_site_ts_login RENAME TO events_before_site_ts_login;
  ALTER INDEX events_site_ts_rate RENAME TO events_before_site_ts_rate;
  ALTER INDEX events_site_bot_name_ts RENAME TO events_before_site_bot_name_ts;
  SELECT coalesce(max(id), 0) + 1 INTO next_id FROM events_before;
  ALTER TABLE events_before ALTER COLUMN id DROP IDENTITY;
  CREATE SEQUENCE events_id_seq;
  PERFORM setval('events_id_seq', next_id, false);

  CREATE TABLE events (LIKE events_before) PARTITION BY RANGE (ts);
  ALTER TABLE events ALTER COLUMN id SET DEFAULT nextval('events_id_seq');
  ALTER SEQUENCE events_id_seq OWNED BY events.id;
  ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (id, ts);
  CREATE INDEX events_site_ts ON events USING btree (site_id, ts);
  CREATE INDEX events_site_ip_ts ON events USING btree (site_id, ip, ts);
  CREATE INDEX events_site_country_ts ON events USING btree (site_id, country, ts);
  CREATE INDEX events_site_path_ts ON events USING btree (site_id, path, ts);
  CREATE INDEX events_site_ts_login ON events USING btree
    (site_id, ts, id, ip, country, sample_rate, action, rule, login_outcome, login_account)
    WHERE login_outcome IS NOT NULL;
  CREATE INDEX events_site_ts_rate ON events USING btree
    (site_id, ts, id, ip, country, sample_rate, action, rule, login_outcome, login_account)
    WHERE rule LIKE 'rate:%';
  CREATE INDEX events_site_bot_name_ts ON events USING btree (site_id, bot_name, ts) WHERE bot_name IS NOT NULL;
  CREATE TABLE events_later PARTITION OF events DEFAULT;

  -- Rows from the cutoff on (a sender's clock ahead, or a far-future ts) move to the default
  -- partition, so the old table can take the range before the cutoff. The CHECK lets ATTACH skip
  -- its own scan; the old table's indexes match the new ones and are attached, not rebuilt.
  INSERT INTO events_later SELECT * FROM events_before WHERE ts >= cutoff;
  DELETE FROM events_before WHERE ts >= cutoff;
  EXECUTE format('ALTER TABLE events_before ADD CONSTRAINT events_before_ts CHECK (ts < %s)', cutoff);
  EXECUTE format('ALTER TABLE events ATTACH PARTITION events_before FOR VALUES FROM (MINVALUE) TO (%s)', cutoff);
END $$;
