-- Custom SQL migration file, put your code below! --
-- Foreign keys to sites without a schema name, so the store works in any schema (search_path).
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "sites"("id");--> statement-breakpoint
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "sites"("id");--> statement-breakpoint
ALTER TABLE "alert_settings" ADD CONSTRAINT "alert_settings_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "sites"("id");
