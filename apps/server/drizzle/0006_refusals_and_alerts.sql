CREATE TABLE "alert_destinations" (
	"environment" text PRIMARY KEY NOT NULL,
	"email" text,
	"webhook_cipher" text,
	"webhook_masked" text,
	"email_last_at" timestamp with time zone,
	"email_last_error" text,
	"webhook_last_at" timestamp with time zone,
	"webhook_last_error" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_sends" (
	"environment" text NOT NULL,
	"cause" text NOT NULL,
	"last_sent_at" timestamp with time zone NOT NULL,
	"pending" integer DEFAULT 0 NOT NULL,
	"sent_count" integer NOT NULL,
	CONSTRAINT "alert_sends_environment_cause_pk" PRIMARY KEY("environment","cause")
);
--> statement-breakpoint
CREATE TABLE "delivery_refusals" (
	"environment" text NOT NULL,
	"slot" smallint NOT NULL,
	"seq" bigint NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"status" smallint NOT NULL,
	"reason" text NOT NULL,
	CONSTRAINT "delivery_refusals_environment_slot_pk" PRIMARY KEY("environment","slot"),
	CONSTRAINT "delivery_refusals_slot" CHECK (slot BETWEEN 0 AND 99)
);
--> statement-breakpoint
CREATE TABLE "refusal_counters" (
	"environment" text PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL
);
