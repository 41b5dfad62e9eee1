CREATE TABLE "brand_infographics" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"brand_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"object_key" text NOT NULL,
	"content_type" text NOT NULL,
	"declared_size" bigint NOT NULL,
	"size_bytes" bigint,
	"sha256" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_by" uuid,
	"uploaded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "brand_infographics_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "brands" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"description" text,
	"logo_url" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "brands_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "photos" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"client_id" text,
	"visit_id" uuid NOT NULL,
	"question_id" uuid,
	"purpose" text NOT NULL,
	"object_key" text NOT NULL,
	"content_type" text NOT NULL,
	"declared_size" bigint NOT NULL,
	"size_bytes" bigint,
	"sha256" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"taken_at" timestamp with time zone,
	"created_by" uuid NOT NULL,
	"uploaded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "photos_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "shelf_quadrants" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"photo_id" uuid NOT NULL,
	"brand_id" uuid NOT NULL,
	"x" double precision NOT NULL,
	"y" double precision NOT NULL,
	"width" double precision NOT NULL,
	"height" double precision NOT NULL,
	"area_percentage" double precision NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shelf_quadrants_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "shelf_share_daily_rollups" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"shop_id" uuid NOT NULL,
	"brand_id" uuid NOT NULL,
	"photos" integer NOT NULL,
	"share_sum" double precision NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shelf_share_daily_rollups_tenant_id_day_shop_id_brand_id_pk" PRIMARY KEY("tenant_id","day","shop_id","brand_id")
);
--> statement-breakpoint
CREATE TABLE "shops" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"address" text,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"channel" text,
	"region" text,
	"external_code" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "shops_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "survey_questions" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"survey_id" uuid NOT NULL,
	"prompt" text NOT NULL,
	"type" text NOT NULL,
	"is_required" boolean DEFAULT false NOT NULL,
	"position" integer NOT NULL,
	"options" jsonb,
	"min_value" double precision,
	"max_value" double precision,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "survey_questions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "surveys" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"visit_type" text NOT NULL,
	"brand_id" uuid,
	"is_active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "surveys_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "visit_answers" (
	"tenant_id" uuid NOT NULL,
	"visit_id" uuid NOT NULL,
	"question_id" uuid NOT NULL,
	"value" jsonb NOT NULL,
	"question_prompt" text NOT NULL,
	"question_type" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "visit_answers_tenant_id_visit_id_question_id_pk" PRIMARY KEY("tenant_id","visit_id","question_id")
);
--> statement-breakpoint
CREATE TABLE "visit_daily_rollups" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"agent_id" uuid NOT NULL,
	"shop_id" uuid NOT NULL,
	"visits" integer NOT NULL,
	"outside_geofence" integer NOT NULL,
	"duration_seconds" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "visit_daily_rollups_tenant_id_day_agent_id_shop_id_pk" PRIMARY KEY("tenant_id","day","agent_id","shop_id")
);
--> statement-breakpoint
CREATE TABLE "visits" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"client_id" text,
	"agent_id" uuid NOT NULL,
	"survey_id" uuid NOT NULL,
	"shop_id" uuid,
	"visit_type" text NOT NULL,
	"status" text DEFAULT 'in_progress' NOT NULL,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"accuracy_m" double precision,
	"shop_distance_m" double precision,
	"outside_geofence" boolean DEFAULT false NOT NULL,
	"notes" text,
	"started_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "visits_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "brand_infographics" ADD CONSTRAINT "brand_infographics_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "brand_infographics" ADD CONSTRAINT "brand_infographics_brand_fk" FOREIGN KEY ("tenant_id","brand_id") REFERENCES "public"."brands"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "brands" ADD CONSTRAINT "brands_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "photos" ADD CONSTRAINT "photos_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "photos" ADD CONSTRAINT "photos_visit_fk" FOREIGN KEY ("tenant_id","visit_id") REFERENCES "public"."visits"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shelf_quadrants" ADD CONSTRAINT "shelf_quadrants_photo_fk" FOREIGN KEY ("tenant_id","photo_id") REFERENCES "public"."photos"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shelf_quadrants" ADD CONSTRAINT "shelf_quadrants_brand_fk" FOREIGN KEY ("tenant_id","brand_id") REFERENCES "public"."brands"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shops" ADD CONSTRAINT "shops_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_questions" ADD CONSTRAINT "survey_questions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_questions" ADD CONSTRAINT "survey_questions_survey_fk" FOREIGN KEY ("tenant_id","survey_id") REFERENCES "public"."surveys"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_brand_fk" FOREIGN KEY ("tenant_id","brand_id") REFERENCES "public"."brands"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_answers" ADD CONSTRAINT "visit_answers_visit_fk" FOREIGN KEY ("tenant_id","visit_id") REFERENCES "public"."visits"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_answers" ADD CONSTRAINT "visit_answers_question_fk" FOREIGN KEY ("tenant_id","question_id") REFERENCES "public"."survey_questions"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_agent_fk" FOREIGN KEY ("tenant_id","agent_id") REFERENCES "public"."memberships"("tenant_id","user_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_survey_fk" FOREIGN KEY ("tenant_id","survey_id") REFERENCES "public"."surveys"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_shop_fk" FOREIGN KEY ("tenant_id","shop_id") REFERENCES "public"."shops"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "brand_infographics_tenant_brand_idx" ON "brand_infographics" USING btree ("tenant_id","brand_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "brands_tenant_name_key" ON "brands" USING btree ("tenant_id",lower("name")) WHERE "brands"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "brands_tenant_slug_key" ON "brands" USING btree ("tenant_id","slug") WHERE "brands"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "brands_tenant_updated_idx" ON "brands" USING btree ("tenant_id","updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "photos_tenant_creator_client_key" ON "photos" USING btree ("tenant_id","created_by","client_id");--> statement-breakpoint
CREATE INDEX "photos_tenant_visit_idx" ON "photos" USING btree ("tenant_id","visit_id");--> statement-breakpoint
CREATE INDEX "shelf_quadrants_tenant_photo_idx" ON "shelf_quadrants" USING btree ("tenant_id","photo_id");--> statement-breakpoint
CREATE INDEX "shelf_share_daily_rollups_tenant_brand_day_idx" ON "shelf_share_daily_rollups" USING btree ("tenant_id","brand_id","day");--> statement-breakpoint
CREATE UNIQUE INDEX "shops_tenant_external_code_key" ON "shops" USING btree ("tenant_id","external_code") WHERE "shops"."external_code" is not null and "shops"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "shops_tenant_lat_lng_idx" ON "shops" USING btree ("tenant_id","lat","lng");--> statement-breakpoint
CREATE INDEX "shops_name_trgm_idx" ON "shops" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "shops_tenant_updated_idx" ON "shops" USING btree ("tenant_id","updated_at");--> statement-breakpoint
CREATE INDEX "survey_questions_tenant_survey_idx" ON "survey_questions" USING btree ("tenant_id","survey_id","position");--> statement-breakpoint
CREATE INDEX "surveys_tenant_updated_idx" ON "surveys" USING btree ("tenant_id","updated_at");--> statement-breakpoint
CREATE INDEX "surveys_tenant_brand_idx" ON "surveys" USING btree ("tenant_id","brand_id");--> statement-breakpoint
CREATE INDEX "visit_daily_rollups_tenant_agent_day_idx" ON "visit_daily_rollups" USING btree ("tenant_id","agent_id","day");--> statement-breakpoint
CREATE INDEX "visit_daily_rollups_tenant_shop_day_idx" ON "visit_daily_rollups" USING btree ("tenant_id","shop_id","day");--> statement-breakpoint
CREATE UNIQUE INDEX "visits_tenant_agent_client_key" ON "visits" USING btree ("tenant_id","agent_id","client_id");--> statement-breakpoint
CREATE INDEX "visits_tenant_started_idx" ON "visits" USING btree ("tenant_id","started_at" desc,"id" desc);--> statement-breakpoint
CREATE INDEX "visits_tenant_agent_started_idx" ON "visits" USING btree ("tenant_id","agent_id","started_at" desc,"id" desc);--> statement-breakpoint
CREATE INDEX "visits_tenant_shop_started_idx" ON "visits" USING btree ("tenant_id","shop_id","started_at" desc);--> statement-breakpoint
CREATE INDEX "visits_tenant_survey_started_idx" ON "visits" USING btree ("tenant_id","survey_id","started_at" desc);--> statement-breakpoint
CREATE INDEX "visits_tenant_completed_idx" ON "visits" USING btree ("tenant_id","completed_at");