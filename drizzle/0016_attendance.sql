CREATE TABLE "attendance_daily_rollups" (
	"tenant_id" uuid NOT NULL,
	"department_id" uuid NOT NULL,
	"day" date NOT NULL,
	"employees" integer DEFAULT 0 NOT NULL,
	"present" integer DEFAULT 0 NOT NULL,
	"late" integer DEFAULT 0 NOT NULL,
	"absent" integer DEFAULT 0 NOT NULL,
	"on_leave" integer DEFAULT 0 NOT NULL,
	"half_day" integer DEFAULT 0 NOT NULL,
	"missing_checkout" integer DEFAULT 0 NOT NULL,
	"worked_minutes" integer DEFAULT 0 NOT NULL,
	"late_minutes" integer DEFAULT 0 NOT NULL,
	"overtime_minutes" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attendance_daily_rollups_tenant_id_day_department_id_pk" PRIMARY KEY("tenant_id","day","department_id")
);
--> statement-breakpoint
CREATE TABLE "attendance_records" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"employee_id" uuid NOT NULL,
	"user_id" uuid,
	"department_id" uuid,
	"shift_id" uuid,
	"work_date" date NOT NULL,
	"status" text NOT NULL,
	"shift_start" timestamp with time zone,
	"shift_end" timestamp with time zone,
	"check_in_at" timestamp with time zone,
	"check_in_client_id" text,
	"check_in_lat" double precision,
	"check_in_lng" double precision,
	"check_in_accuracy_m" double precision,
	"check_in_distance_m" double precision,
	"check_in_location" text,
	"check_in_outside_geofence" boolean,
	"check_in_face_score" double precision,
	"check_in_trust_score" integer,
	"check_in_trust_factors" jsonb,
	"check_out_at" timestamp with time zone,
	"check_out_client_id" text,
	"check_out_lat" double precision,
	"check_out_lng" double precision,
	"check_out_accuracy_m" double precision,
	"check_out_distance_m" double precision,
	"check_out_location" text,
	"check_out_outside_geofence" boolean,
	"check_out_face_score" double precision,
	"check_out_trust_score" integer,
	"check_out_trust_factors" jsonb,
	"worked_minutes" integer DEFAULT 0 NOT NULL,
	"late_minutes" integer DEFAULT 0 NOT NULL,
	"early_leave_minutes" integer DEFAULT 0 NOT NULL,
	"overtime_minutes" integer DEFAULT 0 NOT NULL,
	"leave_request_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attendance_records_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "departments" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"code" text,
	"parent_id" uuid,
	"manager_employee_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "departments_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "employees" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"employee_code" text NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"email" text,
	"phone" text,
	"department_id" uuid,
	"job_title" text,
	"hire_date" date,
	"status" text DEFAULT 'active' NOT NULL,
	"user_id" uuid,
	"default_shift_id" uuid,
	"work_locations" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "employees_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "face_embeddings" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"employee_id" uuid NOT NULL,
	"vector" real[] NOT NULL,
	"dimension" integer NOT NULL,
	"label" text,
	"consent_at" timestamp with time zone NOT NULL,
	"enrolled_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "face_embeddings_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "leave_requests" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"employee_id" uuid NOT NULL,
	"user_id" uuid,
	"leave_type" text NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"half_day" boolean DEFAULT false NOT NULL,
	"reason" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "leave_requests_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "shifts" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"start_time" time NOT NULL,
	"end_time" time NOT NULL,
	"grace_late_minutes" integer DEFAULT 0 NOT NULL,
	"grace_early_minutes" integer DEFAULT 0 NOT NULL,
	"break_minutes" integer DEFAULT 0 NOT NULL,
	"weekdays" jsonb DEFAULT '[1,2,3,4,5]'::jsonb NOT NULL,
	"timezone" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "shifts_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "attendance_daily_rollups" ADD CONSTRAINT "attendance_daily_rollups_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_records" ADD CONSTRAINT "attendance_records_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_records" ADD CONSTRAINT "attendance_records_employee_fk" FOREIGN KEY ("tenant_id","employee_id") REFERENCES "public"."employees"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "departments" ADD CONSTRAINT "departments_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "departments" ADD CONSTRAINT "departments_parent_fk" FOREIGN KEY ("tenant_id","parent_id") REFERENCES "public"."departments"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "employees" ADD CONSTRAINT "employees_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "employees" ADD CONSTRAINT "employees_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "employees" ADD CONSTRAINT "employees_department_fk" FOREIGN KEY ("tenant_id","department_id") REFERENCES "public"."departments"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "employees" ADD CONSTRAINT "employees_default_shift_fk" FOREIGN KEY ("tenant_id","default_shift_id") REFERENCES "public"."shifts"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "face_embeddings" ADD CONSTRAINT "face_embeddings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "face_embeddings" ADD CONSTRAINT "face_embeddings_employee_fk" FOREIGN KEY ("tenant_id","employee_id") REFERENCES "public"."employees"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leave_requests" ADD CONSTRAINT "leave_requests_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leave_requests" ADD CONSTRAINT "leave_requests_employee_fk" FOREIGN KEY ("tenant_id","employee_id") REFERENCES "public"."employees"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shifts" ADD CONSTRAINT "shifts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "attendance_records_tenant_employee_day_key" ON "attendance_records" USING btree ("tenant_id","employee_id","work_date");--> statement-breakpoint
CREATE UNIQUE INDEX "attendance_records_tenant_check_in_client_key" ON "attendance_records" USING btree ("tenant_id","employee_id","check_in_client_id") WHERE "attendance_records"."check_in_client_id" is not null;--> statement-breakpoint
CREATE INDEX "attendance_records_tenant_day_idx" ON "attendance_records" USING btree ("tenant_id","work_date");--> statement-breakpoint
CREATE INDEX "attendance_records_tenant_open_idx" ON "attendance_records" USING btree ("tenant_id","employee_id","check_in_at") WHERE "attendance_records"."check_in_at" is not null and "attendance_records"."check_out_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "departments_tenant_name_key" ON "departments" USING btree ("tenant_id",lower("name")) WHERE "departments"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "departments_tenant_code_key" ON "departments" USING btree ("tenant_id",lower("code")) WHERE "departments"."code" is not null and "departments"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "departments_tenant_updated_idx" ON "departments" USING btree ("tenant_id","updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "employees_tenant_code_key" ON "employees" USING btree ("tenant_id",lower("employee_code")) WHERE "employees"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "employees_tenant_user_key" ON "employees" USING btree ("tenant_id","user_id") WHERE "employees"."user_id" is not null and "employees"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "employees_tenant_department_idx" ON "employees" USING btree ("tenant_id","department_id");--> statement-breakpoint
CREATE INDEX "employees_tenant_updated_idx" ON "employees" USING btree ("tenant_id","updated_at");--> statement-breakpoint
CREATE INDEX "face_embeddings_tenant_employee_idx" ON "face_embeddings" USING btree ("tenant_id","employee_id");--> statement-breakpoint
CREATE INDEX "leave_requests_tenant_employee_idx" ON "leave_requests" USING btree ("tenant_id","employee_id","start_date");--> statement-breakpoint
CREATE INDEX "leave_requests_tenant_created_idx" ON "leave_requests" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "shifts_tenant_name_key" ON "shifts" USING btree ("tenant_id",lower("name")) WHERE "shifts"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "shifts_tenant_updated_idx" ON "shifts" USING btree ("tenant_id","updated_at");