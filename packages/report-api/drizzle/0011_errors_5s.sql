CREATE TABLE `errors_5s` (
	`site_id` text NOT NULL,
	`start` integer NOT NULL,
	`errors` real NOT NULL,
	PRIMARY KEY(`site_id`, `start`)
);
--> statement-breakpoint
CREATE TABLE `ip_errors_5s` (
	`site_id` text NOT NULL,
	`start` integer NOT NULL,
	`ip` text NOT NULL,
	`errors` real NOT NULL,
	PRIMARY KEY(`site_id`, `start`, `ip`)
);
