CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"site_id" text NOT NULL,
	"at" bigint NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_label" text NOT NULL,
	"actor_key_id" text,
	"action" text NOT NULL,
	"target" text NOT NULL,
	"reason" text NOT NULL,
	"before" text,
	"after" text
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "id" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "label" text DEFAULT 'initial' NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "last_used_at" bigint;--> statement-breakpoint
CREATE INDEX "audit_log_site_at" ON "audit_log" USING btree ("site_id","at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_id" ON "api_keys" USING btree ("id");--> statement-breakpoint
CREATE INDEX "api_keys_site" ON "api_keys" USING btree ("site_id");