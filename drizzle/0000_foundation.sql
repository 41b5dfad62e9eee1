CREATE TABLE "dead_letters" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid,
	"queue" text NOT NULL,
	"message_id" text NOT NULL,
	"event_type" text,
	"body" jsonb NOT NULL,
	"attempts" integer NOT NULL,
	"reason" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "processed_events" (
	"tenant_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"type" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "processed_events_tenant_id_event_id_pk" PRIMARY KEY("tenant_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "dead_letters_queue_message_key" ON "dead_letters" USING btree ("queue","message_id");--> statement-breakpoint
CREATE INDEX "dead_letters_tenant_received_idx" ON "dead_letters" USING btree ("tenant_id","received_at");--> statement-breakpoint
CREATE INDEX "dead_letters_received_at_idx" ON "dead_letters" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "processed_events_processed_at_idx" ON "processed_events" USING btree ("processed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tenants_slug_key" ON "tenants" USING btree (lower("slug"));