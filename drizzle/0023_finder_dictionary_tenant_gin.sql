CREATE TABLE "interaction_words" (
	"tenant_id" uuid NOT NULL,
	"word" text NOT NULL,
	CONSTRAINT "interaction_words_tenant_id_word_pk" PRIMARY KEY("tenant_id","word")
);
--> statement-breakpoint
DROP INDEX "shops_name_trgm_idx";--> statement-breakpoint
DROP INDEX "interactions_search_vector_idx";--> statement-breakpoint
DROP INDEX "interactions_search_text_trgm_idx";--> statement-breakpoint
DROP INDEX "accounts_search_trgm_idx";--> statement-breakpoint
DROP INDEX "clients_search_trgm_idx";--> statement-breakpoint
DROP INDEX "contacts_search_trgm_idx";--> statement-breakpoint
DROP INDEX "leads_search_trgm_idx";--> statement-breakpoint
DROP INDEX "projects_search_trgm_idx";--> statement-breakpoint
ALTER TABLE "interaction_words" ADD CONSTRAINT "interaction_words_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "interaction_words_tenant_word_trgm_idx" ON "interaction_words" USING gin ("tenant_id","word" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "shops_tenant_name_trgm_idx" ON "shops" USING gin ("tenant_id","name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "interactions_tenant_search_vector_idx" ON "interactions" USING gin ("tenant_id","search_vector");--> statement-breakpoint
CREATE INDEX "interactions_tenant_search_text_trgm_idx" ON "interactions" USING gin ("tenant_id","search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "accounts_search_trgm_idx" ON "accounts" USING gin ("tenant_id",lower("name" || ' ' || coalesce("industry", '')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "clients_search_trgm_idx" ON "clients" USING gin ("tenant_id",lower("name" || ' ' || coalesce("email", '')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "contacts_search_trgm_idx" ON "contacts" USING gin ("tenant_id",lower("first_name" || ' ' || coalesce("last_name", '') || ' ' || coalesce("email", '')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "leads_search_trgm_idx" ON "leads" USING gin ("tenant_id",lower("name" || ' ' || coalesce("email", '') || ' ' || coalesce("company", '')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "projects_search_trgm_idx" ON "projects" USING gin ("tenant_id",lower("name") gin_trgm_ops);--> statement-breakpoint
CREATE FUNCTION interaction_words_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO interaction_words (tenant_id, word)
  SELECT DISTINCT n.tenant_id, w FROM new_rows n, unnest(tsvector_to_array(n.search_vector)) w
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER interactions_words_insert AFTER INSERT ON interactions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION interaction_words_add();--> statement-breakpoint
CREATE TRIGGER interactions_words_update AFTER UPDATE ON interactions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION interaction_words_add();--> statement-breakpoint
INSERT INTO interaction_words (tenant_id, word)
  SELECT DISTINCT i.tenant_id, w FROM interactions i, unnest(tsvector_to_array(i.search_vector)) w
  ON CONFLICT DO NOTHING;
