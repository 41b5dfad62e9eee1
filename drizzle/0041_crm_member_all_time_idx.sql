-- The all-time member cells (grain 0) with every counter in the key, so conversion-rate's by_user
-- and user-activity read a tenant's members by an index-only scan (1M bench: 378 heap pages → 6
-- index pages for 400 members).
CREATE INDEX "crm_member_cells_all_time_idx" ON "crm_member_cells" USING btree ("tenant_id","grain","user_id","assigned_leads","assigned_converted","assigned_clients","interactions_created","projects_created") WHERE "crm_member_cells"."grain" = 0;