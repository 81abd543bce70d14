-- Custom migration (drizzle-kit generate --custom): the 5-second error buckets become WITHOUT ROWID
-- like the other rollup tables (0002; an upsert touches one B-tree), columns exactly as in schema.ts,
-- and take over the 30-second rows of earlier versions. Each 30-s row becomes one 5-s row at its
-- start: 30-s starts are multiples of 5 s, and a 30-s sum (six buckets) never holds two converted
-- rows, so every burst of an old day is found again with its exact count (its edges then span
-- that one bucket: where in those 30 s the errors fell is not known).
DROP TABLE `errors_5s`;
--> statement-breakpoint
CREATE TABLE `errors_5s` (
	`site_id` text NOT NULL,
	`start` integer NOT NULL,
	`errors` real NOT NULL,
	PRIMARY KEY(`site_id`, `start`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `errors_5s` (`site_id`, `start`, `errors`) SELECT `site_id`, `start`, `errors` FROM `errors_30s`;
--> statement-breakpoint
DROP TABLE `ip_errors_5s`;
--> statement-breakpoint
CREATE TABLE `ip_errors_5s` (
	`site_id` text NOT NULL,
	`start` integer NOT NULL,
	`ip` text NOT NULL,
	`errors` real NOT NULL,
	PRIMARY KEY(`site_id`, `start`, `ip`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `ip_errors_5s` (`site_id`, `start`, `ip`, `errors`) SELECT `site_id`, `start`, `ip`, `errors` FROM `ip_errors_30s`;
