CREATE TABLE "brand_shelf_tenant_daily_rollups" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"brand_id" uuid NOT NULL,
	"photos" integer NOT NULL,
	"brand_area" double precision NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "brand_shelf_tenant_daily_rollups_tenant_id_day_brand_id_pk" PRIMARY KEY("tenant_id","day","brand_id")
);
--> statement-breakpoint
CREATE TABLE "visit_agent_daily_rollups" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"agent_id" uuid NOT NULL,
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
	CONSTRAINT "visit_agent_daily_rollups_tenant_id_day_agent_id_pk" PRIMARY KEY("tenant_id","day","agent_id")
);
--> statement-breakpoint
CREATE TABLE "visit_tenant_daily_rollups" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
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
	CONSTRAINT "visit_tenant_daily_rollups_tenant_id_day_pk" PRIMARY KEY("tenant_id","day")
);
--> statement-breakpoint
CREATE INDEX "visit_agent_daily_rollups_tenant_agent_day_idx" ON "visit_agent_daily_rollups" USING btree ("tenant_id","agent_id","day");