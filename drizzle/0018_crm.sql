CREATE TABLE "accounts" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"industry" text,
	"website" text,
	"phone" text,
	"address" text,
	"owner_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "accounts_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "clients" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"phone" text,
	"address" text,
	"status" text DEFAULT 'new' NOT NULL,
	"account_id" uuid,
	"assigned_to" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "clients_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "clients_status_check" CHECK ("clients"."status" in ('new', 'prospect', 'active', 'inactive'))
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text,
	"email" text,
	"phone" text,
	"title" text,
	"account_id" uuid,
	"client_id" uuid,
	"owner_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "contacts_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "interactions" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"title" text NOT NULL,
	"type" text NOT NULL,
	"lead" text,
	"start_date_time" timestamp with time zone NOT NULL,
	"end_date_time" timestamp with time zone,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"location" text,
	"description" text,
	"notes" text,
	"client_id" uuid,
	"lead_id" uuid,
	"contact_id" uuid,
	"project_id" uuid,
	"follow_up_at" timestamp with time zone,
	"done" boolean DEFAULT false NOT NULL,
	"assigned_to" uuid,
	"search_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('simple'::regconfig, coalesce("title", '')), 'A')
    || setweight(to_tsvector('simple'::regconfig, coalesce("lead", '') || ' ' || coalesce("type", '')), 'B')
    || setweight(to_tsvector('simple'::regconfig, coalesce("location", '') || ' ' || coalesce("description", '')), 'C')
    || setweight(to_tsvector('simple'::regconfig, coalesce("notes", '')), 'D')) STORED,
	"search_text" text GENERATED ALWAYS AS (lower(coalesce("title", '') || ' ' || coalesce("lead", '') || ' ' || coalesce("type", '') || ' '
    || coalesce("location", '') || ' ' || coalesce("description", '') || ' ' || coalesce("notes", ''))) STORED,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "interactions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "interactions_end_after_start_check" CHECK ("interactions"."end_date_time" is null or "interactions"."end_date_time" >= "interactions"."start_date_time")
);
--> statement-breakpoint
CREATE TABLE "leads" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"phone" text,
	"company" text,
	"lead_status" text DEFAULT 'new' NOT NULL,
	"lead_source" text,
	"assigned_to" uuid,
	"converted_at" timestamp with time zone,
	"converted_client_id" uuid,
	"converted_project_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "leads_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "leads_status_check" CHECK ("leads"."lead_status" in ('new', 'contacted', 'qualified', 'lost', 'converted')),
	CONSTRAINT "leads_source_check" CHECK ("leads"."lead_source" in ('Website', 'Referral', 'Cold Call', 'Email Campaign', 'Social Media', 'Trade Show', 'Advertisement', 'Partner', 'Other'))
);
--> statement-breakpoint
CREATE TABLE "notes" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"body" text NOT NULL,
	"account_id" uuid,
	"client_id" uuid,
	"lead_id" uuid,
	"project_id" uuid,
	"contact_id" uuid,
	"interaction_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "notes_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "notes_one_parent_check" CHECK (num_nonnulls("notes"."account_id", "notes"."client_id", "notes"."lead_id", "notes"."project_id", "notes"."contact_id", "notes"."interaction_id") = 1)
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"client_id" uuid,
	"lead_id" uuid,
	"status" text DEFAULT 'pending' NOT NULL,
	"value" numeric(14, 2),
	"currency" text,
	"start_date" date,
	"end_date" date,
	"assigned_to" uuid,
	"won_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "projects_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "projects_status_check" CHECK ("projects"."status" in ('active', 'pending', 'completed', 'cancelled')),
	CONSTRAINT "projects_dates_check" CHECK ("projects"."end_date" is null or "projects"."start_date" is null or "projects"."end_date" >= "projects"."start_date")
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_account_fk" FOREIGN KEY ("tenant_id","account_id") REFERENCES "public"."accounts"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_account_fk" FOREIGN KEY ("tenant_id","account_id") REFERENCES "public"."accounts"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_client_fk" FOREIGN KEY ("tenant_id","client_id") REFERENCES "public"."clients"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interactions" ADD CONSTRAINT "interactions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interactions" ADD CONSTRAINT "interactions_client_fk" FOREIGN KEY ("tenant_id","client_id") REFERENCES "public"."clients"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interactions" ADD CONSTRAINT "interactions_lead_fk" FOREIGN KEY ("tenant_id","lead_id") REFERENCES "public"."leads"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interactions" ADD CONSTRAINT "interactions_contact_fk" FOREIGN KEY ("tenant_id","contact_id") REFERENCES "public"."contacts"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interactions" ADD CONSTRAINT "interactions_project_fk" FOREIGN KEY ("tenant_id","project_id") REFERENCES "public"."projects"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_converted_client_fk" FOREIGN KEY ("tenant_id","converted_client_id") REFERENCES "public"."clients"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes" ADD CONSTRAINT "notes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes" ADD CONSTRAINT "notes_account_fk" FOREIGN KEY ("tenant_id","account_id") REFERENCES "public"."accounts"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes" ADD CONSTRAINT "notes_client_fk" FOREIGN KEY ("tenant_id","client_id") REFERENCES "public"."clients"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes" ADD CONSTRAINT "notes_lead_fk" FOREIGN KEY ("tenant_id","lead_id") REFERENCES "public"."leads"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes" ADD CONSTRAINT "notes_project_fk" FOREIGN KEY ("tenant_id","project_id") REFERENCES "public"."projects"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes" ADD CONSTRAINT "notes_contact_fk" FOREIGN KEY ("tenant_id","contact_id") REFERENCES "public"."contacts"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes" ADD CONSTRAINT "notes_interaction_fk" FOREIGN KEY ("tenant_id","interaction_id") REFERENCES "public"."interactions"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_client_fk" FOREIGN KEY ("tenant_id","client_id") REFERENCES "public"."clients"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_lead_fk" FOREIGN KEY ("tenant_id","lead_id") REFERENCES "public"."leads"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "accounts_tenant_name_idx" ON "accounts" USING btree ("tenant_id",lower("name"));--> statement-breakpoint
CREATE INDEX "accounts_search_trgm_idx" ON "accounts" USING gin (lower("name" || ' ' || coalesce("industry", '')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "accounts_tenant_created_by_idx" ON "accounts" USING btree ("tenant_id","created_by");--> statement-breakpoint
CREATE INDEX "accounts_tenant_owner_id_idx" ON "accounts" USING btree ("tenant_id","owner_id");--> statement-breakpoint
CREATE INDEX "accounts_tenant_deleted_idx" ON "accounts" USING btree ("tenant_id","deleted_at") WHERE "accounts"."deleted_at" is not null;--> statement-breakpoint
CREATE INDEX "accounts_tenant_updated_idx" ON "accounts" USING btree ("tenant_id","updated_at");--> statement-breakpoint
CREATE INDEX "clients_tenant_name_idx" ON "clients" USING btree ("tenant_id",lower("name"));--> statement-breakpoint
CREATE INDEX "clients_search_trgm_idx" ON "clients" USING gin (lower("name" || ' ' || coalesce("email", '')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "clients_tenant_status_idx" ON "clients" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "clients_tenant_account_idx" ON "clients" USING btree ("tenant_id","account_id");--> statement-breakpoint
CREATE INDEX "clients_tenant_created_by_idx" ON "clients" USING btree ("tenant_id","created_by");--> statement-breakpoint
CREATE INDEX "clients_tenant_assigned_to_idx" ON "clients" USING btree ("tenant_id","assigned_to");--> statement-breakpoint
CREATE INDEX "clients_tenant_deleted_idx" ON "clients" USING btree ("tenant_id","deleted_at") WHERE "clients"."deleted_at" is not null;--> statement-breakpoint
CREATE INDEX "clients_tenant_updated_idx" ON "clients" USING btree ("tenant_id","updated_at");--> statement-breakpoint
CREATE INDEX "contacts_tenant_name_idx" ON "contacts" USING btree ("tenant_id",lower("first_name"));--> statement-breakpoint
CREATE INDEX "contacts_search_trgm_idx" ON "contacts" USING gin (lower("first_name" || ' ' || coalesce("last_name", '') || ' ' || coalesce("email", '')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "contacts_tenant_email_idx" ON "contacts" USING btree ("tenant_id",lower("email"));--> statement-breakpoint
CREATE INDEX "contacts_tenant_account_idx" ON "contacts" USING btree ("tenant_id","account_id");--> statement-breakpoint
CREATE INDEX "contacts_tenant_client_idx" ON "contacts" USING btree ("tenant_id","client_id");--> statement-breakpoint
CREATE INDEX "contacts_tenant_created_by_idx" ON "contacts" USING btree ("tenant_id","created_by");--> statement-breakpoint
CREATE INDEX "contacts_tenant_owner_id_idx" ON "contacts" USING btree ("tenant_id","owner_id");--> statement-breakpoint
CREATE INDEX "contacts_tenant_deleted_idx" ON "contacts" USING btree ("tenant_id","deleted_at") WHERE "contacts"."deleted_at" is not null;--> statement-breakpoint
CREATE INDEX "contacts_tenant_updated_idx" ON "contacts" USING btree ("tenant_id","updated_at");--> statement-breakpoint
CREATE INDEX "interactions_tenant_start_idx" ON "interactions" USING btree ("tenant_id","start_date_time","id");--> statement-breakpoint
CREATE INDEX "interactions_tenant_type_idx" ON "interactions" USING btree ("tenant_id","type");--> statement-breakpoint
CREATE INDEX "interactions_tenant_type_sort_idx" ON "interactions" USING btree ("tenant_id",lower("type"));--> statement-breakpoint
CREATE INDEX "interactions_tenant_lead_name_idx" ON "interactions" USING btree ("tenant_id",lower("lead"));--> statement-breakpoint
CREATE INDEX "interactions_tenant_title_idx" ON "interactions" USING btree ("tenant_id",lower("title"));--> statement-breakpoint
CREATE INDEX "interactions_tenant_client_idx" ON "interactions" USING btree ("tenant_id","client_id");--> statement-breakpoint
CREATE INDEX "interactions_tenant_lead_idx" ON "interactions" USING btree ("tenant_id","lead_id");--> statement-breakpoint
CREATE INDEX "interactions_tenant_contact_idx" ON "interactions" USING btree ("tenant_id","contact_id");--> statement-breakpoint
CREATE INDEX "interactions_tenant_project_idx" ON "interactions" USING btree ("tenant_id","project_id");--> statement-breakpoint
CREATE INDEX "interactions_tenant_follow_up_idx" ON "interactions" USING btree ("tenant_id","follow_up_at") WHERE "interactions"."follow_up_at" is not null and not "interactions"."done";--> statement-breakpoint
CREATE INDEX "interactions_search_vector_idx" ON "interactions" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "interactions_search_text_trgm_idx" ON "interactions" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "interactions_tenant_created_by_idx" ON "interactions" USING btree ("tenant_id","created_by");--> statement-breakpoint
CREATE INDEX "interactions_tenant_assigned_to_idx" ON "interactions" USING btree ("tenant_id","assigned_to");--> statement-breakpoint
CREATE INDEX "interactions_tenant_deleted_idx" ON "interactions" USING btree ("tenant_id","deleted_at") WHERE "interactions"."deleted_at" is not null;--> statement-breakpoint
CREATE INDEX "interactions_tenant_updated_idx" ON "interactions" USING btree ("tenant_id","updated_at");--> statement-breakpoint
CREATE INDEX "leads_tenant_name_idx" ON "leads" USING btree ("tenant_id",lower("name"));--> statement-breakpoint
CREATE INDEX "leads_search_trgm_idx" ON "leads" USING gin (lower("name" || ' ' || coalesce("email", '') || ' ' || coalesce("company", '')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "leads_tenant_status_idx" ON "leads" USING btree ("tenant_id","lead_status");--> statement-breakpoint
CREATE INDEX "leads_tenant_source_idx" ON "leads" USING btree ("tenant_id","lead_source");--> statement-breakpoint
CREATE INDEX "leads_tenant_converted_idx" ON "leads" USING btree ("tenant_id","converted_at");--> statement-breakpoint
CREATE INDEX "leads_tenant_created_idx" ON "leads" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "leads_tenant_created_by_idx" ON "leads" USING btree ("tenant_id","created_by");--> statement-breakpoint
CREATE INDEX "leads_tenant_assigned_to_idx" ON "leads" USING btree ("tenant_id","assigned_to");--> statement-breakpoint
CREATE INDEX "leads_tenant_deleted_idx" ON "leads" USING btree ("tenant_id","deleted_at") WHERE "leads"."deleted_at" is not null;--> statement-breakpoint
CREATE INDEX "leads_tenant_updated_idx" ON "leads" USING btree ("tenant_id","updated_at");--> statement-breakpoint
CREATE INDEX "notes_tenant_account_idx" ON "notes" USING btree ("tenant_id","account_id","created_at");--> statement-breakpoint
CREATE INDEX "notes_tenant_client_idx" ON "notes" USING btree ("tenant_id","client_id","created_at");--> statement-breakpoint
CREATE INDEX "notes_tenant_lead_idx" ON "notes" USING btree ("tenant_id","lead_id","created_at");--> statement-breakpoint
CREATE INDEX "notes_tenant_project_idx" ON "notes" USING btree ("tenant_id","project_id","created_at");--> statement-breakpoint
CREATE INDEX "notes_tenant_contact_idx" ON "notes" USING btree ("tenant_id","contact_id","created_at");--> statement-breakpoint
CREATE INDEX "notes_tenant_interaction_idx" ON "notes" USING btree ("tenant_id","interaction_id","created_at");--> statement-breakpoint
CREATE INDEX "notes_tenant_created_by_idx" ON "notes" USING btree ("tenant_id","created_by");--> statement-breakpoint
CREATE INDEX "notes_tenant_deleted_idx" ON "notes" USING btree ("tenant_id","deleted_at") WHERE "notes"."deleted_at" is not null;--> statement-breakpoint
CREATE INDEX "projects_tenant_name_idx" ON "projects" USING btree ("tenant_id",lower("name"));--> statement-breakpoint
CREATE INDEX "projects_search_trgm_idx" ON "projects" USING gin (lower("name") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "projects_tenant_status_idx" ON "projects" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "projects_tenant_client_idx" ON "projects" USING btree ("tenant_id","client_id");--> statement-breakpoint
CREATE INDEX "projects_tenant_lead_idx" ON "projects" USING btree ("tenant_id","lead_id");--> statement-breakpoint
CREATE INDEX "projects_tenant_created_idx" ON "projects" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "projects_tenant_created_by_idx" ON "projects" USING btree ("tenant_id","created_by");--> statement-breakpoint
CREATE INDEX "projects_tenant_assigned_to_idx" ON "projects" USING btree ("tenant_id","assigned_to");--> statement-breakpoint
CREATE INDEX "projects_tenant_deleted_idx" ON "projects" USING btree ("tenant_id","deleted_at") WHERE "projects"."deleted_at" is not null;--> statement-breakpoint
CREATE INDEX "projects_tenant_updated_idx" ON "projects" USING btree ("tenant_id","updated_at");