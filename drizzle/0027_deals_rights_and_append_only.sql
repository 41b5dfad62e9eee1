-- Contacts are written with their own right now (`contacts:write`, so seed 004's manager can
-- manage contacts without `crm:write`): every custom role that could write contacts keeps it.
-- System roles take their rights from the code's catalogue and need nothing here.
UPDATE "roles" SET "permissions" = array_append("permissions", 'contacts:write'), "updated_at" = now()
WHERE NOT "is_system" AND 'crm:write' = ANY("permissions") AND NOT ('contacts:write' = ANY("permissions"));
--> statement-breakpoint
-- Deal activities are append-only: no statement may change one (deletes go only with their deal).
CREATE OR REPLACE FUNCTION "deal_activities_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'deal activities are append-only' USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "deal_activities_no_update" BEFORE UPDATE ON "deal_activities"
FOR EACH ROW EXECUTE FUNCTION "deal_activities_append_only"();
