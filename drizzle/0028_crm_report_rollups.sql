CREATE TABLE "crm_client_rollups" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"created_by" uuid NOT NULL,
	"assigned_to" uuid NOT NULL,
	"status" text NOT NULL,
	"clients" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "crm_client_rollups_tenant_id_day_created_by_assigned_to_status_pk" PRIMARY KEY("tenant_id","day","created_by","assigned_to","status")
);
--> statement-breakpoint
CREATE TABLE "crm_interaction_rollups" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"created_by" uuid NOT NULL,
	"assigned_to" uuid NOT NULL,
	"client_status" text NOT NULL,
	"interactions" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "crm_interaction_rollups_tenant_id_day_created_by_assigned_to_client_status_pk" PRIMARY KEY("tenant_id","day","created_by","assigned_to","client_status")
);
--> statement-breakpoint
CREATE TABLE "crm_lead_rollups" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"created_by" uuid NOT NULL,
	"assigned_to" uuid NOT NULL,
	"status" text NOT NULL,
	"source" text NOT NULL,
	"leads" integer NOT NULL,
	"timed_conversions" integer NOT NULL,
	"conversion_days" double precision NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "crm_lead_rollups_tenant_id_day_created_by_assigned_to_status_source_pk" PRIMARY KEY("tenant_id","day","created_by","assigned_to","status","source")
);
--> statement-breakpoint
CREATE TABLE "crm_project_rollups" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"created_by" uuid NOT NULL,
	"assigned_to" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"status" text NOT NULL,
	"month" text NOT NULL,
	"projects" integer NOT NULL,
	"valued" integer NOT NULL,
	"value_sum" numeric(18, 2) NOT NULL,
	"timed" integer NOT NULL,
	"duration_days" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "crm_project_rollups_tenant_id_day_created_by_assigned_to_client_id_status_month_pk" PRIMARY KEY("tenant_id","day","created_by","assigned_to","client_id","status","month")
);
--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "last_interaction_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "last_interaction_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "crm_client_rollups_tenant_assigned_idx" ON "crm_client_rollups" USING btree ("tenant_id","assigned_to");--> statement-breakpoint
CREATE INDEX "crm_interaction_rollups_tenant_creator_day_idx" ON "crm_interaction_rollups" USING btree ("tenant_id","created_by","day");--> statement-breakpoint
CREATE INDEX "crm_lead_rollups_tenant_assigned_idx" ON "crm_lead_rollups" USING btree ("tenant_id","assigned_to");--> statement-breakpoint
CREATE INDEX "crm_project_rollups_tenant_client_idx" ON "crm_project_rollups" USING btree ("tenant_id","client_id");--> statement-breakpoint
CREATE INDEX "crm_project_rollups_tenant_creator_day_idx" ON "crm_project_rollups" USING btree ("tenant_id","created_by","day");--> statement-breakpoint
CREATE INDEX "clients_tenant_created_idx" ON "clients" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "clients_tenant_last_interaction_idx" ON "clients" USING btree ("tenant_id","last_interaction_at" NULLS FIRST,"id") WHERE "clients"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "interactions_tenant_created_idx" ON "interactions" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "leads_tenant_last_interaction_idx" ON "leads" USING btree ("tenant_id","last_interaction_at" NULLS FIRST,"id") WHERE "leads"."deleted_at" is null;