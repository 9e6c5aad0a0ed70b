CREATE TABLE "reconcile_cursors" (
	"environment" text PRIMARY KEY NOT NULL,
	"since" bigint NOT NULL,
	"types" text NOT NULL,
	"chunk" integer NOT NULL,
	"starting_after" text NOT NULL,
	"head_created" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "lapsed_leases" integer DEFAULT 0 NOT NULL;