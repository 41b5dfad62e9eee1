CREATE TABLE "crm_client_cells" (
	"tenant_id" uuid NOT NULL,
	"member" uuid NOT NULL,
	"grain" smallint NOT NULL,
	"period" date NOT NULL,
	"status" text NOT NULL,
	"clients" integer NOT NULL,
	CONSTRAINT "crm_client_cells_tenant_id_member_grain_period_status_pk" PRIMARY KEY("tenant_id","member","grain","period","status")
);
--> statement-breakpoint
CREATE TABLE "crm_client_revenue" (
	"tenant_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"total_projects" integer NOT NULL,
	"total_value" numeric(18, 2) NOT NULL,
	"won_value" numeric(18, 2) NOT NULL,
	"pending_value" numeric(18, 2) NOT NULL,
	CONSTRAINT "crm_client_revenue_tenant_id_client_id_pk" PRIMARY KEY("tenant_id","client_id")
);
--> statement-breakpoint
CREATE TABLE "crm_interaction_cells" (
	"tenant_id" uuid NOT NULL,
	"member" uuid NOT NULL,
	"grain" smallint NOT NULL,
	"period" date NOT NULL,
	"client_status" text NOT NULL,
	"interactions" integer NOT NULL,
	CONSTRAINT "crm_interaction_cells_tenant_id_member_grain_period_client_status_pk" PRIMARY KEY("tenant_id","member","grain","period","client_status")
);
--> statement-breakpoint
CREATE TABLE "crm_lead_cells" (
	"tenant_id" uuid NOT NULL,
	"member" uuid NOT NULL,
	"grain" smallint NOT NULL,
	"period" date NOT NULL,
	"status" text NOT NULL,
	"source" text NOT NULL,
	"leads" integer NOT NULL,
	"timed_conversions" integer NOT NULL,
	"conversion_days" numeric NOT NULL,
	CONSTRAINT "crm_lead_cells_tenant_id_member_grain_period_status_source_pk" PRIMARY KEY("tenant_id","member","grain","period","status","source")
);
--> statement-breakpoint
CREATE TABLE "crm_member_cells" (
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"grain" smallint NOT NULL,
	"period" date NOT NULL,
	"assigned_leads" integer NOT NULL,
	"assigned_converted" integer NOT NULL,
	"assigned_clients" integer NOT NULL,
	"interactions_created" integer NOT NULL,
	"projects_created" integer NOT NULL,
	CONSTRAINT "crm_member_cells_tenant_id_grain_period_user_id_pk" PRIMARY KEY("tenant_id","grain","period","user_id")
);
--> statement-breakpoint
CREATE TABLE "crm_project_cells" (
	"tenant_id" uuid NOT NULL,
	"member" uuid NOT NULL,
	"grain" smallint NOT NULL,
	"period" date NOT NULL,
	"status" text NOT NULL,
	"month" text NOT NULL,
	"projects" integer NOT NULL,
	"valued" integer NOT NULL,
	"value_sum" numeric(18, 2) NOT NULL,
	"timed" integer NOT NULL,
	"duration_days" integer NOT NULL,
	CONSTRAINT "crm_project_cells_tenant_id_member_grain_period_status_month_pk" PRIMARY KEY("tenant_id","member","grain","period","status","month")
);
--> statement-breakpoint
CREATE INDEX "crm_client_revenue_tenant_value_idx" ON "crm_client_revenue" USING btree ("tenant_id","total_value" DESC NULLS LAST,"client_id");