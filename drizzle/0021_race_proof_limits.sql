ALTER TABLE "employees" ADD COLUMN "face_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "employees" ADD CONSTRAINT "employees_face_count_check" CHECK ("employees"."face_count" between 0 and 5);--> statement-breakpoint
UPDATE "employees" e SET "face_count" = (SELECT count(*) FROM "face_embeddings" f WHERE f."tenant_id" = e."tenant_id" AND f."employee_id" = e."id");--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint
ALTER TABLE "leave_requests" ADD CONSTRAINT "leave_requests_no_overlap" EXCLUDE USING gist ("tenant_id" WITH =, "employee_id" WITH =, daterange("start_date", "end_date", '[]') WITH &&) WHERE ("status" IN ('pending', 'approved'));
