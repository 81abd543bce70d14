DROP INDEX `events_site_ip_ts`;--> statement-breakpoint
CREATE INDEX `events_site_minute_ip` ON `events` (`site_id`,("ts" / 60000),`ip`);