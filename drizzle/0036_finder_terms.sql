CREATE TABLE "interaction_term_counts" (
	"tenant_id" uuid NOT NULL,
	"term" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "interaction_term_counts_tenant_id_term_pk" PRIMARY KEY("tenant_id","term")
);
--> statement-breakpoint
CREATE TABLE "interaction_term_gaps" (
	"tenant_id" uuid NOT NULL,
	"word" text NOT NULL,
	CONSTRAINT "interaction_term_gaps_tenant_id_word_pk" PRIMARY KEY("tenant_id","word")
);
--> statement-breakpoint
CREATE TABLE "interaction_terms" (
	"tenant_id" uuid NOT NULL,
	"term" text NOT NULL,
	"score" real NOT NULL,
	"interaction_id" uuid NOT NULL,
	CONSTRAINT "interaction_terms_tenant_id_term_score_interaction_id_pk" PRIMARY KEY("tenant_id","term","score","interaction_id")
);
--> statement-breakpoint
ALTER TABLE "interaction_term_counts" ADD CONSTRAINT "interaction_term_counts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interaction_term_gaps" ADD CONSTRAINT "interaction_term_gaps_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "interaction_term_gaps_tenant_word_trgm_idx" ON "interaction_term_gaps" USING gin ("tenant_id","word" gin_trgm_ops);