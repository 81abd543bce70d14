ALTER TABLE `events` ADD `login_outcome` text;--> statement-breakpoint
ALTER TABLE `events` ADD `login_account` text;