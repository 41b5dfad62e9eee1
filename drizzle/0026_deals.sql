CREATE TABLE "deal_activities" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"deal_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"actor_id" uuid,
	"from_stage" text,
	"to_stage" text,
	"from_status" text,
	"to_status" text,
	"body" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deal_activities_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "deal_activities_kind_check" CHECK ("deal_activities"."kind" in ('change', 'comment'))
);
--> statement-breakpoint
CREATE TABLE "deal_daily_rollups" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"owner_id" uuid NOT NULL,
	"status" text NOT NULL,
	"stage" text NOT NULL,
	"deals" integer NOT NULL,
	"amount" numeric(18, 2) NOT NULL,
	CONSTRAINT "deal_daily_rollups_tenant_id_day_owner_id_status_stage_pk" PRIMARY KEY("tenant_id","day","owner_id","status","stage")
);
--> statement-breakpoint
CREATE TABLE "deal_stage_daily_rollups" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"owner_id" uuid NOT NULL,
	"stage" text NOT NULL,
	"reached" integer NOT NULL,
	"stays" integer NOT NULL,
	"stay_seconds" numeric(18, 0) NOT NULL,
	CONSTRAINT "deal_stage_daily_rollups_tenant_id_day_owner_id_stage_pk" PRIMARY KEY("tenant_id","day","owner_id","stage")
);
--> statement-breakpoint
CREATE TABLE "deal_won_daily_rollups" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"owner_id" uuid NOT NULL,
	"deals" integer NOT NULL,
	"amount" numeric(18, 2) NOT NULL,
	CONSTRAINT "deal_won_daily_rollups_tenant_id_day_owner_id_pk" PRIMARY KEY("tenant_id","day","owner_id")
);
--> statement-breakpoint
CREATE TABLE "deals" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"title" text NOT NULL,
	"amount" numeric(14, 2) DEFAULT 0 NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"contact_id" uuid,
	"stage" text DEFAULT 'qualification' NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"owner_id" uuid NOT NULL,
	"expected_close_date" date,
	"closed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "deals_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "deals_stage_check" CHECK ("deals"."stage" in ('qualification', 'proposal', 'negotiation', 'closed')),
	CONSTRAINT "deals_status_check" CHECK ("deals"."status" in ('open', 'won', 'lost')),
	CONSTRAINT "deals_amount_check" CHECK ("deals"."amount" >= 0),
	CONSTRAINT "deals_closed_check" CHECK (("deals"."status" = 'open') = ("deals"."stage" <> 'closed'))
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"due_date" date,
	"deal_id" uuid,
	"contact_id" uuid,
	"assignee_id" uuid,
	"done" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "tasks_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "deal_activities" ADD CONSTRAINT "deal_activities_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deal_activities" ADD CONSTRAINT "deal_activities_deal_fk" FOREIGN KEY ("tenant_id","deal_id") REFERENCES "public"."deals"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_contact_fk" FOREIGN KEY ("tenant_id","contact_id") REFERENCES "public"."contacts"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_deal_fk" FOREIGN KEY ("tenant_id","deal_id") REFERENCES "public"."deals"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_contact_fk" FOREIGN KEY ("tenant_id","contact_id") REFERENCES "public"."contacts"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deal_activities_tenant_deal_idx" ON "deal_activities" USING btree ("tenant_id","deal_id","created_at","id");--> statement-breakpoint
CREATE INDEX "deals_tenant_created_idx" ON "deals" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "deals_tenant_owner_idx" ON "deals" USING btree ("tenant_id","owner_id","created_at");--> statement-breakpoint
CREATE INDEX "deals_tenant_created_by_idx" ON "deals" USING btree ("tenant_id","created_by");--> statement-breakpoint
CREATE INDEX "deals_tenant_updated_idx" ON "deals" USING btree ("tenant_id","updated_at");--> statement-breakpoint
CREATE INDEX "deals_tenant_contact_open_idx" ON "deals" USING btree ("tenant_id","contact_id") WHERE "deals"."deleted_at" is null and "deals"."status" = 'open';--> statement-breakpoint
CREATE INDEX "deals_tenant_owner_won_idx" ON "deals" USING btree ("tenant_id","owner_id","closed_at") WHERE "deals"."status" = 'won' and "deals"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "deals_tenant_close_date_idx" ON "deals" USING btree ("tenant_id","expected_close_date");--> statement-breakpoint
CREATE INDEX "deals_tenant_deleted_idx" ON "deals" USING btree ("tenant_id","deleted_at") WHERE "deals"."deleted_at" is not null;--> statement-breakpoint
CREATE INDEX "tasks_tenant_created_idx" ON "tasks" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "tasks_tenant_assignee_idx" ON "tasks" USING btree ("tenant_id","assignee_id","due_date");--> statement-breakpoint
CREATE INDEX "tasks_tenant_created_by_idx" ON "tasks" USING btree ("tenant_id","created_by");--> statement-breakpoint
CREATE INDEX "tasks_tenant_due_idx" ON "tasks" USING btree ("tenant_id","due_date") WHERE "tasks"."done" = false;--> statement-breakpoint
CREATE INDEX "tasks_tenant_deal_idx" ON "tasks" USING btree ("tenant_id","deal_id");--> statement-breakpoint
CREATE INDEX "tasks_tenant_contact_idx" ON "tasks" USING btree ("tenant_id","contact_id");--> statement-breakpoint
CREATE INDEX "tasks_tenant_deleted_idx" ON "tasks" USING btree ("tenant_id","deleted_at") WHERE "tasks"."deleted_at" is not null;