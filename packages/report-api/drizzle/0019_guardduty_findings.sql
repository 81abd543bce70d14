CREATE TABLE `findings` (
	`site_id` text NOT NULL,
	`finding_id` text NOT NULL,
	`ip` text NOT NULL,
	`type` text NOT NULL,
	`severity` real NOT NULL,
	`region` text NOT NULL,
	`account_id` text NOT NULL,
	`resource` text NOT NULL,
	`country` text,
	`first_seen` integer NOT NULL,
	`last_seen` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`site_id`, `finding_id`, `ip`)
);
--> statement-breakpoint
CREATE INDEX `findings_site_last_seen` ON `findings` (`site_id`,`last_seen`);