CREATE TABLE "findings" (
	"site_id" text NOT NULL,
	"finding_id" text NOT NULL,
	"ip" text NOT NULL,
	"type" text NOT NULL,
	"severity" double precision NOT NULL,
	"region" text NOT NULL,
	"account_id" text NOT NULL,
	"resource" text NOT NULL,
	"country" text,
	"first_seen" bigint NOT NULL,
	"last_seen" bigint NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "findings_site_id_finding_id_ip_pk" PRIMARY KEY("site_id","finding_id","ip")
);
--> statement-breakpoint
CREATE INDEX "findings_site_last_seen" ON "findings" USING btree ("site_id","last_seen");