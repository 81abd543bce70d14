CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`at` integer NOT NULL,
	`actor_kind` text NOT NULL,
	`actor_label` text NOT NULL,
	`actor_key_id` text,
	`action` text NOT NULL,
	`target` text NOT NULL,
	`reason` text NOT NULL,
	`before` text,
	`after` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_site_at` ON `audit_log` (`site_id`,`at`,`id`);--> statement-breakpoint
ALTER TABLE `api_keys` ADD `id` text;--> statement-breakpoint
ALTER TABLE `api_keys` ADD `label` text DEFAULT 'initial' NOT NULL;--> statement-breakpoint
ALTER TABLE `api_keys` ADD `last_used_at` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_id` ON `api_keys` (`id`);--> statement-breakpoint
CREATE INDEX `api_keys_site` ON `api_keys` (`site_id`);