CREATE TABLE `alert_deliveries` (
	`id` integer PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`webhook_id` text NOT NULL,
	`kind` text NOT NULL,
	`summary` text NOT NULL,
	`status` text NOT NULL,
	`http_status` integer,
	`error` text,
	`attempts` integer NOT NULL,
	`at` integer NOT NULL,
	`duration_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `alert_deliveries_site_at` ON `alert_deliveries` (`site_id`,`at`);--> statement-breakpoint
CREATE TABLE `alert_settings` (
	`site_id` text PRIMARY KEY NOT NULL,
	`report_time` text NOT NULL,
	`business_days_only` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `webhooks` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`url` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `webhooks_site` ON `webhooks` (`site_id`);