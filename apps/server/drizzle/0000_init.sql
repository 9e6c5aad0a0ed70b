CREATE TABLE "connections" (
	"environment" text PRIMARY KEY NOT NULL,
	"secret_key_cipher" text,
	"secret_key_hint" text,
	"webhook_enabled" boolean DEFAULT false NOT NULL,
	"webhook_path" text,
	"webhook_secret_cipher" text,
	"webhook_secret_hint" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
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
	"status" text DEFAULT 'received' NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "connections_webhook_path_key" ON "connections" USING btree ("webhook_path");--> statement-breakpoint
CREATE UNIQUE INDEX "events_environment_stripe_id_key" ON "events" USING btree ("environment","stripe_id");