CREATE TABLE "call_cycle_locations" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"call_cycle_id" uuid NOT NULL,
	"shop_id" uuid NOT NULL,
	"frequency" text NOT NULL,
	"weekdays" smallint[],
	"interval_weeks" smallint,
	"month_day" smallint,
	"window_start" time,
	"window_end" time,
	"agent_id" uuid,
	"team_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "call_cycle_locations_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "call_cycle_locations_frequency_check" CHECK (("call_cycle_locations"."frequency" = 'weekly' and "call_cycle_locations"."weekdays" is not null and "call_cycle_locations"."interval_weeks" is null and "call_cycle_locations"."month_day" is null)
        or ("call_cycle_locations"."frequency" = 'every_n_weeks' and "call_cycle_locations"."weekdays" is not null and "call_cycle_locations"."interval_weeks" between 2 and 12 and "call_cycle_locations"."month_day" is null)
        or ("call_cycle_locations"."frequency" = 'monthly' and "call_cycle_locations"."weekdays" is null and "call_cycle_locations"."interval_weeks" is null and "call_cycle_locations"."month_day" between 1 and 31)),
	CONSTRAINT "call_cycle_locations_window_check" CHECK ("call_cycle_locations"."window_start" is null or "call_cycle_locations"."window_end" is null or "call_cycle_locations"."window_start" < "call_cycle_locations"."window_end"),
	CONSTRAINT "call_cycle_locations_assignee_check" CHECK ("call_cycle_locations"."agent_id" is null or "call_cycle_locations"."team_id" is null)
);
--> statement-breakpoint
CREATE TABLE "call_cycles" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"owner_id" uuid NOT NULL,
	"team_id" uuid,
	"start_date" date NOT NULL,
	"end_date" date,
	"is_active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "call_cycles_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "call_cycles_dates_check" CHECK ("call_cycles"."end_date" is null or "call_cycles"."end_date" >= "call_cycles"."start_date")
);
--> statement-breakpoint
CREATE TABLE "shop_visit_daily_rollups" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"agent_id" uuid NOT NULL,
	"shop_id" uuid NOT NULL,
	"completed" integer NOT NULL,
	"first_completed_at" timestamp,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shop_visit_daily_rollups_tenant_id_day_agent_id_shop_id_pk" PRIMARY KEY("tenant_id","day","agent_id","shop_id")
);
--> statement-breakpoint
ALTER TABLE "call_cycle_locations" ADD CONSTRAINT "call_cycle_locations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_cycle_locations" ADD CONSTRAINT "call_cycle_locations_cycle_fk" FOREIGN KEY ("tenant_id","call_cycle_id") REFERENCES "public"."call_cycles"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_cycle_locations" ADD CONSTRAINT "call_cycle_locations_shop_fk" FOREIGN KEY ("tenant_id","shop_id") REFERENCES "public"."shops"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_cycle_locations" ADD CONSTRAINT "call_cycle_locations_agent_fk" FOREIGN KEY ("tenant_id","agent_id") REFERENCES "public"."memberships"("tenant_id","user_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_cycle_locations" ADD CONSTRAINT "call_cycle_locations_team_fk" FOREIGN KEY ("tenant_id","team_id") REFERENCES "public"."teams"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_cycles" ADD CONSTRAINT "call_cycles_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_cycles" ADD CONSTRAINT "call_cycles_owner_fk" FOREIGN KEY ("tenant_id","owner_id") REFERENCES "public"."memberships"("tenant_id","user_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_cycles" ADD CONSTRAINT "call_cycles_team_fk" FOREIGN KEY ("tenant_id","team_id") REFERENCES "public"."teams"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "call_cycle_locations_cycle_shop_key" ON "call_cycle_locations" USING btree ("tenant_id","call_cycle_id","shop_id") WHERE "call_cycle_locations"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "call_cycle_locations_tenant_agent_idx" ON "call_cycle_locations" USING btree ("tenant_id","agent_id");--> statement-breakpoint
CREATE INDEX "call_cycle_locations_tenant_team_idx" ON "call_cycle_locations" USING btree ("tenant_id","team_id");--> statement-breakpoint
CREATE INDEX "call_cycles_tenant_owner_idx" ON "call_cycles" USING btree ("tenant_id","owner_id");--> statement-breakpoint
CREATE INDEX "call_cycles_tenant_created_by_idx" ON "call_cycles" USING btree ("tenant_id","created_by");--> statement-breakpoint
CREATE INDEX "call_cycles_tenant_updated_idx" ON "call_cycles" USING btree ("tenant_id","updated_at");--> statement-breakpoint
CREATE INDEX "shop_visit_daily_rollups_tenant_shop_day_idx" ON "shop_visit_daily_rollups" USING btree ("tenant_id","shop_id","day");