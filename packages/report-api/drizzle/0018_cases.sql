CREATE TABLE `cases` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`client` text NOT NULL,
	`country` text,
	`state` text NOT NULL,
	`kinds` text NOT NULL,
	`evidence` text NOT NULL,
	`requests` real NOT NULL,
	`first_day` text NOT NULL,
	`last_day` text NOT NULL,
	`updated_at` integer NOT NULL,
	`decision` text,
	`reopened_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cases_site_client` ON `cases` (`site_id`,`client`);--> statement-breakpoint
CREATE INDEX `cases_site_state_updated` ON `cases` (`site_id`,`state`,`updated_at`);