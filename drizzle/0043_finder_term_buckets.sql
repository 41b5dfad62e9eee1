CREATE TABLE "interaction_term_buckets" (
	"tenant_id" uuid NOT NULL,
	"term" text NOT NULL,
	"score" real NOT NULL,
	"bucket" integer NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "interaction_term_buckets_tenant_id_term_score_bucket_pk" PRIMARY KEY("tenant_id","term","score","bucket")
);
--> statement-breakpoint
ALTER TABLE "interaction_term_buckets" ADD CONSTRAINT "interaction_term_buckets_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;