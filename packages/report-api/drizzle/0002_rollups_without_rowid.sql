-- Custom migration (drizzle-kit generate --custom): the rollup tables become WITHOUT ROWID, so an
-- upsert at ingest touches one B-tree (the primary key) instead of two. drizzle's schema DSL cannot
-- express WITHOUT ROWID; the columns stay exactly as in schema.ts.
CREATE TABLE `__new_traffic_15m` (
	`site_id` text NOT NULL,
	`start` integer NOT NULL,
	`requests` real DEFAULT 0 NOT NULL,
	`blocked` real DEFAULT 0 NOT NULL,
	`counted` real DEFAULT 0 NOT NULL,
	`s1xx` real DEFAULT 0 NOT NULL,
	`s2xx` real DEFAULT 0 NOT NULL,
	`s3xx` real DEFAULT 0 NOT NULL,
	`s4xx` real DEFAULT 0 NOT NULL,
	`s5xx` real DEFAULT 0 NOT NULL,
	`probes` real DEFAULT 0 NOT NULL,
	`scanner` real DEFAULT 0 NOT NULL,
	PRIMARY KEY(`site_id`, `start`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_traffic_15m` SELECT * FROM `traffic_15m`;
--> statement-breakpoint
DROP TABLE `traffic_15m`;
--> statement-breakpoint
ALTER TABLE `__new_traffic_15m` RENAME TO `traffic_15m`;
--> statement-breakpoint
CREATE TABLE `__new_rollup_day` (
	`site_id` text NOT NULL,
	`day` text NOT NULL,
	`dim` text NOT NULL,
	`key` text NOT NULL,
	`extra` text,
	`requests` real DEFAULT 0 NOT NULL,
	`blocked` real DEFAULT 0 NOT NULL,
	`counted` real DEFAULT 0 NOT NULL,
	`s1xx` real DEFAULT 0 NOT NULL,
	`s2xx` real DEFAULT 0 NOT NULL,
	`s3xx` real DEFAULT 0 NOT NULL,
	`s4xx` real DEFAULT 0 NOT NULL,
	`s5xx` real DEFAULT 0 NOT NULL,
	`probes` real DEFAULT 0 NOT NULL,
	`scanner` real DEFAULT 0 NOT NULL,
	PRIMARY KEY(`site_id`, `day`, `dim`, `key`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_rollup_day` SELECT * FROM `rollup_day`;
--> statement-breakpoint
DROP TABLE `rollup_day`;
--> statement-breakpoint
ALTER TABLE `__new_rollup_day` RENAME TO `rollup_day`;
--> statement-breakpoint
CREATE TABLE `__new_errors_30s` (
	`site_id` text NOT NULL,
	`start` integer NOT NULL,
	`errors` real NOT NULL,
	PRIMARY KEY(`site_id`, `start`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_errors_30s` SELECT * FROM `errors_30s`;
--> statement-breakpoint
DROP TABLE `errors_30s`;
--> statement-breakpoint
ALTER TABLE `__new_errors_30s` RENAME TO `errors_30s`;
--> statement-breakpoint
CREATE TABLE `__new_ip_errors_30s` (
	`site_id` text NOT NULL,
	`start` integer NOT NULL,
	`ip` text NOT NULL,
	`errors` real NOT NULL,
	PRIMARY KEY(`site_id`, `start`, `ip`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_ip_errors_30s` SELECT * FROM `ip_errors_30s`;
--> statement-breakpoint
DROP TABLE `ip_errors_30s`;
--> statement-breakpoint
ALTER TABLE `__new_ip_errors_30s` RENAME TO `ip_errors_30s`;
