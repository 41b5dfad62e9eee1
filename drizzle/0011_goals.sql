CREATE TABLE "goal_assignments" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"goal_id" uuid NOT NULL,
	"user_id" uuid,
	"team_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "goal_assignments_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "goal_assignments_one_assignee" CHECK (("goal_assignments"."user_id" is null) <> ("goal_assignments"."team_id" is null))
);
--> statement-breakpoint
CREATE TABLE "goals" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"metric" text NOT NULL,
	"target" double precision NOT NULL,
	"period_type" text NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date,
	"brand_id" uuid,
	"survey_id" uuid,
	"region" text,
	"channel" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "goals_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "goals_target_positive" CHECK ("goals"."target" > 0),
	CONSTRAINT "goals_end_after_start" CHECK ("goals"."end_date" is null or "goals"."end_date" >= "goals"."start_date"),
	CONSTRAINT "goals_fixed_has_end" CHECK ("goals"."period_type" <> 'fixed' or "goals"."end_date" is not null)
);
--> statement-breakpoint
ALTER TABLE "visit_activity_daily_rollups" ADD COLUMN "answered" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "goal_assignments" ADD CONSTRAINT "goal_assignments_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_assignments" ADD CONSTRAINT "goal_assignments_goal_fk" FOREIGN KEY ("tenant_id","goal_id") REFERENCES "public"."goals"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_assignments" ADD CONSTRAINT "goal_assignments_team_fk" FOREIGN KEY ("tenant_id","team_id") REFERENCES "public"."teams"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_assignments" ADD CONSTRAINT "goal_assignments_membership_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."memberships"("tenant_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_brand_fk" FOREIGN KEY ("tenant_id","brand_id") REFERENCES "public"."brands"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_survey_fk" FOREIGN KEY ("tenant_id","survey_id") REFERENCES "public"."surveys"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "goal_assignments_goal_user_key" ON "goal_assignments" USING btree ("tenant_id","goal_id","user_id") WHERE "goal_assignments"."user_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "goal_assignments_goal_team_key" ON "goal_assignments" USING btree ("tenant_id","goal_id","team_id") WHERE "goal_assignments"."team_id" is not null;--> statement-breakpoint
CREATE INDEX "goal_assignments_tenant_user_idx" ON "goal_assignments" USING btree ("tenant_id","user_id");--> statement-breakpoint
CREATE INDEX "goal_assignments_tenant_team_idx" ON "goal_assignments" USING btree ("tenant_id","team_id");--> statement-breakpoint
CREATE INDEX "goals_tenant_name_idx" ON "goals" USING btree ("tenant_id",lower("name"));--> statement-breakpoint
CREATE INDEX "goals_tenant_updated_idx" ON "goals" USING btree ("tenant_id","updated_at");