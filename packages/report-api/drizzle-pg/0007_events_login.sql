ALTER TABLE "events" ADD COLUMN "login_outcome" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "login_account" text;