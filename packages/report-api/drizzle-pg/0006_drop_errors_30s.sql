DROP TABLE "errors_30s" CASCADE;--> statement-breakpoint
DROP TABLE "ip_errors_30s" CASCADE;