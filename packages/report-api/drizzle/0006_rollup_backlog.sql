CREATE TABLE `rollup_backlog` (
	`id` integer PRIMARY KEY NOT NULL,
	`first_id` integer NOT NULL,
	`last_id` integer NOT NULL,
	`owner` text NOT NULL,
	`recorded_at` integer NOT NULL
);
