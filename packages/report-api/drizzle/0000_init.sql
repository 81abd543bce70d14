CREATE TABLE `api_keys` (
	`hash` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`role` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `batches` (
	`site_id` text NOT NULL,
	`batch_id` text NOT NULL,
	`received_at` integer NOT NULL,
	`events` integer NOT NULL,
	`dropped` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`site_id`, `batch_id`)
);
--> statement-breakpoint
CREATE INDEX `batches_received` ON `batches` (`received_at`);--> statement-breakpoint
CREATE TABLE `deny_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`value` text NOT NULL,
	`reason` text NOT NULL,
	`source` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer
);
--> statement-breakpoint
CREATE INDEX `deny_site` ON `deny_entries` (`site_id`,`expires_at`);--> statement-breakpoint
CREATE TABLE `errors_30s` (
	`site_id` text NOT NULL,
	`start` integer NOT NULL,
	`errors` real NOT NULL,
	PRIMARY KEY(`site_id`, `start`)
);
--> statement-breakpoint
CREATE TABLE `events` (
	`id` integer PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`ts` integer NOT NULL,
	`ip` text NOT NULL,
	`country` text,
	`method` text NOT NULL,
	`host` text NOT NULL,
	`path` text NOT NULL,
	`status` integer NOT NULL,
	`latency_ms` real NOT NULL,
	`ua` text NOT NULL,
	`action` text NOT NULL,
	`rule` text,
	`bot_category` text,
	`sample_rate` real NOT NULL,
	`asn` integer
);
--> statement-breakpoint
CREATE INDEX `events_site_ts` ON `events` (`site_id`,`ts`);--> statement-breakpoint
CREATE INDEX `events_site_ip_ts` ON `events` (`site_id`,`ip`,`ts`);--> statement-breakpoint
CREATE TABLE `ip_errors_30s` (
	`site_id` text NOT NULL,
	`start` integer NOT NULL,
	`ip` text NOT NULL,
	`errors` real NOT NULL,
	PRIMARY KEY(`site_id`, `start`, `ip`)
);
--> statement-breakpoint
CREATE TABLE `rollup_day` (
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
);
--> statement-breakpoint
CREATE TABLE `sites` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`time_zone` text NOT NULL,
	`home_country` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `traffic_15m` (
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
);
