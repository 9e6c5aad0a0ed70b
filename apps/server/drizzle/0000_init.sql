CREATE TABLE "connections" (
	"environment" text PRIMARY KEY NOT NULL,
	"secret_key_cipher" text,
	"secret_key_hint" text,
	"webhook_enabled" boolean DEFAULT false NOT NULL,
	"webhook_path" text,
	"webhook_secret_cipher" text,
	"webhook_secret_hint" text,
	"previous_webhook_secret_cipher" text,
	"previous_webhook_secret_expires_at" timestamp with time zone,
	"stripe_endpoint_id" text,
	"stripe_endpoint_events" text[],
	"stripe_endpoint_registered_at" timestamp with time zone,
	"last_reconciled_at" timestamp with time zone,
	"reconcile_lease_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "data_rows" (
	"table_name" text NOT NULL,
	"key" text NOT NULL,
	"values" jsonb NOT NULL,
	"event_created" bigint,
	"event_id" text,
	"write_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "data_rows_table_name_key_pk" PRIMARY KEY("table_name","key")
);
--> statement-breakpoint
CREATE TABLE "data_tables" (
	"name" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deployments" (
	"environment" text NOT NULL,
	"workflow_id" text NOT NULL,
	"version" integer NOT NULL,
	"trigger_type" text NOT NULL,
	"trigger_actions" text[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deployments_environment_workflow_id_pk" PRIMARY KEY("environment","workflow_id")
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"environment" text NOT NULL,
	"stripe_id" text NOT NULL,
	"type" text NOT NULL,
	"action" text NOT NULL,
	"object_id" text,
	"created" bigint NOT NULL,
	"livemode" boolean NOT NULL,
	"account" text,
	"api_version" text,
	"payload" jsonb NOT NULL,
	"family" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "executions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"environment" text NOT NULL,
	"workflow_id" text NOT NULL,
	"workflow_version" integer NOT NULL,
	"event_id" bigint NOT NULL,
	"event_created" bigint NOT NULL,
	"object_id" text,
	"origin" text NOT NULL,
	"parent_id" bigint,
	"status" text NOT NULL,
	"attempt" integer DEFAULT 0 NOT NULL,
	"run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"steps" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" jsonb,
	"error_node_id" text,
	"dead_lettered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "workflow_versions" (
	"workflow_id" text NOT NULL,
	"version" integer NOT NULL,
	"name" text NOT NULL,
	"document" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workflow_versions_workflow_id_version_pk" PRIMARY KEY("workflow_id","version")
);
--> statement-breakpoint
CREATE TABLE "workflows" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"latest_version" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "data_rows" ADD CONSTRAINT "data_rows_table_name_data_tables_name_fk" FOREIGN KEY ("table_name") REFERENCES "public"."data_tables"("name") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_workflow_id_workflows_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "public"."workflows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "executions" ADD CONSTRAINT "executions_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_versions" ADD CONSTRAINT "workflow_versions_workflow_id_workflows_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "public"."workflows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "connections_webhook_path_key" ON "connections" USING btree ("webhook_path");--> statement-breakpoint
CREATE INDEX "deployments_match_idx" ON "deployments" USING btree ("environment","trigger_type");--> statement-breakpoint
CREATE UNIQUE INDEX "events_environment_stripe_id_key" ON "events" USING btree ("environment","stripe_id");--> statement-breakpoint
CREATE UNIQUE INDEX "executions_event_workflow_key" ON "executions" USING btree ("event_id","workflow_id") WHERE origin = 'event';--> statement-breakpoint
CREATE INDEX "executions_queue_idx" ON "executions" USING btree ("run_at","id") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "executions_lease_idx" ON "executions" USING btree ("lease_until") WHERE status = 'running';--> statement-breakpoint
CREATE INDEX "executions_object_idx" ON "executions" USING btree ("workflow_id","object_id","event_created") WHERE status IN ('pending', 'running');--> statement-breakpoint
CREATE INDEX "executions_workflow_idx" ON "executions" USING btree ("workflow_id","id");--> statement-breakpoint
CREATE INDEX "executions_event_idx" ON "executions" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "executions_dead_letter_idx" ON "executions" USING btree ("dead_lettered_at") WHERE dead_lettered_at IS NOT NULL;