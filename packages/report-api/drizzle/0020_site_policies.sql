CREATE TABLE `site_policies` (
	`site_id` text PRIMARY KEY NOT NULL,
	`policies` text NOT NULL,
	`updated_at` integer NOT NULL
);
