DROP TABLE `errors_30s`;--> statement-breakpoint
DROP TABLE `ip_errors_30s`;