CREATE TABLE "brand_shelf_daily_rollups" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"agent_id" uuid NOT NULL,
	"shop_id" uuid NOT NULL,
	"brand_id" uuid NOT NULL,
	"photos" integer NOT NULL,
	"brand_area" double precision NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "brand_shelf_daily_rollups_tenant_id_day_agent_id_shop_id_brand_id_pk" PRIMARY KEY("tenant_id","day","agent_id","shop_id","brand_id")
);
--> statement-breakpoint
CREATE TABLE "visit_activity_daily_rollups" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"agent_id" uuid NOT NULL,
	"shop_id" uuid NOT NULL,
	"survey_id" uuid NOT NULL,
	"started" integer NOT NULL,
	"completed" integer NOT NULL,
	"outside_geofence" integer NOT NULL,
	"duration_seconds" bigint NOT NULL,
	"answers" integer NOT NULL,
	"photos" integer NOT NULL,
	"shelf_photos" integer NOT NULL,
	"shelf_area" double precision NOT NULL,
	"last_activity_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "visit_activity_daily_rollups_tenant_id_day_agent_id_shop_id_survey_id_pk" PRIMARY KEY("tenant_id","day","agent_id","shop_id","survey_id")
);
--> statement-breakpoint
ALTER TABLE "shelf_quadrants" ADD COLUMN "marked_area" double precision;--> statement-breakpoint
CREATE INDEX "brand_shelf_daily_rollups_tenant_agent_day_idx" ON "brand_shelf_daily_rollups" USING btree ("tenant_id","agent_id","day");--> statement-breakpoint
CREATE INDEX "visit_activity_daily_rollups_tenant_agent_day_idx" ON "visit_activity_daily_rollups" USING btree ("tenant_id","agent_id","day");--> statement-breakpoint
CREATE INDEX "visit_activity_daily_rollups_tenant_survey_day_idx" ON "visit_activity_daily_rollups" USING btree ("tenant_id","survey_id","day");