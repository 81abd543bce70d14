DROP INDEX `events_site_ts_login`;--> statement-breakpoint
DROP INDEX `events_site_ts_rate`;--> statement-breakpoint
CREATE INDEX `events_site_ts_login` ON `events` (`site_id`,`ts`,`ip`,`country`,`sample_rate`,`action`,`rule`,`login_outcome`,`login_account`) WHERE login_outcome IS NOT NULL;--> statement-breakpoint
CREATE INDEX `events_site_ts_rate` ON `events` (`site_id`,`ts`,`ip`,`country`,`sample_rate`,`action`,`rule`,`login_outcome`,`login_account`) WHERE rule LIKE 'rate:%';