CREATE TABLE `intel_entries` (
	`site_id` text NOT NULL,
	`source` text NOT NULL,
	`value` text NOT NULL,
	`added_at` integer NOT NULL,
	PRIMARY KEY(`site_id`, `source`, `value`)
);
