CREATE TABLE "intel_entries" (
	"site_id" text NOT NULL,
	"source" text NOT NULL,
	"value" text NOT NULL,
	"added_at" bigint NOT NULL,
	CONSTRAINT "intel_entries_site_id_source_value_pk" PRIMARY KEY("site_id","source","value")
);
