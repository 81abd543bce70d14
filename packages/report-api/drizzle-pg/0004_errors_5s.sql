CREATE TABLE "errors_5s" (
	"site_id" text NOT NULL,
	"start" bigint NOT NULL,
	"errors" double precision NOT NULL,
	CONSTRAINT "errors_5s_site_id_start_pk" PRIMARY KEY("site_id","start")
);
--> statement-breakpoint
CREATE TABLE "ip_errors_5s" (
	"site_id" text NOT NULL,
	"start" bigint NOT NULL,
	"ip" text NOT NULL,
	"errors" double precision NOT NULL,
	CONSTRAINT "ip_errors_5s_site_id_start_ip_pk" PRIMARY KEY("site_id","start","ip")
);
