CREATE TABLE "alert_deliveries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "alert_deliveries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"site_id" text NOT NULL,
	"webhook_id" text NOT NULL,
	"kind" text NOT NULL,
	"summary" text NOT NULL,
	"status" text NOT NULL,
	"http_status" integer,
	"error" text,
	"attempts" integer NOT NULL,
	"at" bigint NOT NULL,
	"duration_ms" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_settings" (
	"site_id" text PRIMARY KEY NOT NULL,
	"report_time" text NOT NULL,
	"business_days_only" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"hash" text PRIMARY KEY NOT NULL,
	"site_id" text NOT NULL,
	"role" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "batches" (
	"site_id" text NOT NULL,
	"batch_id" text NOT NULL,
	"received_at" bigint NOT NULL,
	"events" integer NOT NULL,
	"dropped" integer DEFAULT 0 NOT NULL,
	"source" text DEFAULT '' NOT NULL,
	CONSTRAINT "batches_site_id_batch_id_pk" PRIMARY KEY("site_id","batch_id")
);
--> statement-breakpoint
CREATE TABLE "deny_entries" (
	"id" text PRIMARY KEY NOT NULL,
	"site_id" text NOT NULL,
	"value" text NOT NULL,
	"reason" text NOT NULL,
	"source" text NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint
);
--> statement-breakpoint
CREATE TABLE "errors_30s" (
	"site_id" text NOT NULL,
	"start" bigint NOT NULL,
	"errors" double precision NOT NULL,
	CONSTRAINT "errors_30s_site_id_start_pk" PRIMARY KEY("site_id","start")
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"site_id" text NOT NULL,
	"ts" bigint NOT NULL,
	"ip" text NOT NULL,
	"country" text,
	"method" text NOT NULL,
	"host" text NOT NULL,
	"path" text NOT NULL,
	"status" integer NOT NULL,
	"latency_ms" double precision NOT NULL,
	"ua" text NOT NULL,
	"action" text NOT NULL,
	"rule" text,
	"bot_category" text,
	"sample_rate" double precision NOT NULL,
	"asn" bigint
);
--> statement-breakpoint
CREATE TABLE "ip_errors_30s" (
	"site_id" text NOT NULL,
	"start" bigint NOT NULL,
	"ip" text NOT NULL,
	"errors" double precision NOT NULL,
	CONSTRAINT "ip_errors_30s_site_id_start_ip_pk" PRIMARY KEY("site_id","start","ip")
);
--> statement-breakpoint
CREATE TABLE "rollup_day" (
	"site_id" text NOT NULL,
	"day" text NOT NULL,
	"dim" text NOT NULL,
	"key" text NOT NULL,
	"extra" text,
	"requests" double precision DEFAULT 0 NOT NULL,
	"blocked" double precision DEFAULT 0 NOT NULL,
	"counted" double precision DEFAULT 0 NOT NULL,
	"s1xx" double precision DEFAULT 0 NOT NULL,
	"s2xx" double precision DEFAULT 0 NOT NULL,
	"s3xx" double precision DEFAULT 0 NOT NULL,
	"s4xx" double precision DEFAULT 0 NOT NULL,
	"s5xx" double precision DEFAULT 0 NOT NULL,
	"probes" double precision DEFAULT 0 NOT NULL,
	"scanner" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "rollup_day_site_id_day_dim_key_pk" PRIMARY KEY("site_id","day","dim","key")
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sites" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"time_zone" text NOT NULL,
	"home_country" text,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "traffic_15m" (
	"site_id" text NOT NULL,
	"start" bigint NOT NULL,
	"requests" double precision DEFAULT 0 NOT NULL,
	"blocked" double precision DEFAULT 0 NOT NULL,
	"counted" double precision DEFAULT 0 NOT NULL,
	"s1xx" double precision DEFAULT 0 NOT NULL,
	"s2xx" double precision DEFAULT 0 NOT NULL,
	"s3xx" double precision DEFAULT 0 NOT NULL,
	"s4xx" double precision DEFAULT 0 NOT NULL,
	"s5xx" double precision DEFAULT 0 NOT NULL,
	"probes" double precision DEFAULT 0 NOT NULL,
	"scanner" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "traffic_15m_site_id_start_pk" PRIMARY KEY("site_id","start")
);
--> statement-breakpoint
CREATE TABLE "webhooks" (
	"id" text PRIMARY KEY NOT NULL,
	"site_id" text NOT NULL,
	"url" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "alert_deliveries_site_at" ON "alert_deliveries" USING btree ("site_id","at");--> statement-breakpoint
CREATE INDEX "batches_site_received" ON "batches" USING btree ("site_id","received_at");--> statement-breakpoint
CREATE INDEX "deny_site" ON "deny_entries" USING btree ("site_id","expires_at");--> statement-breakpoint
CREATE INDEX "events_site_ts" ON "events" USING btree ("site_id","ts");--> statement-breakpoint
CREATE INDEX "events_site_ip_ts" ON "events" USING btree ("site_id","ip","ts");--> statement-breakpoint
CREATE INDEX "events_site_country_ts" ON "events" USING btree ("site_id","country","ts");--> statement-breakpoint
CREATE INDEX "events_site_path_ts" ON "events" USING btree ("site_id","path","ts");--> statement-breakpoint
CREATE INDEX "webhooks_site" ON "webhooks" USING btree ("site_id");