CREATE TABLE "call_outcome_daily_rollups" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"owner_id" uuid NOT NULL,
	"created_by" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"due" integer NOT NULL,
	"done" integer NOT NULL,
	"late" integer NOT NULL,
	"missed" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "call_outcome_daily_rollups_tenant_id_day_owner_id_created_by_agent_id_team_id_pk" PRIMARY KEY("tenant_id","day","owner_id","created_by","agent_id","team_id")
);
--> statement-breakpoint
CREATE TABLE "call_outcome_tenant_daily_rollups" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"due" integer NOT NULL,
	"done" integer NOT NULL,
	"late" integer NOT NULL,
	"missed" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "call_outcome_tenant_daily_rollups_tenant_id_day_pk" PRIMARY KEY("tenant_id","day")
);
