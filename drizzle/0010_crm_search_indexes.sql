CREATE INDEX "accounts_search_trgm_idx" ON "accounts" USING gin (lower("name" || ' ' || coalesce("industry", '')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "clients_search_trgm_idx" ON "clients" USING gin (lower("name" || ' ' || coalesce("email", '')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "contacts_search_trgm_idx" ON "contacts" USING gin (lower("first_name" || ' ' || coalesce("last_name", '') || ' ' || coalesce("email", '')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "leads_search_trgm_idx" ON "leads" USING gin (lower("name" || ' ' || coalesce("email", '') || ' ' || coalesce("company", '')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "projects_search_trgm_idx" ON "projects" USING gin (lower("name") gin_trgm_ops);