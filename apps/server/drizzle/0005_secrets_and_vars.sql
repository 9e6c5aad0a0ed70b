CREATE TABLE "environment_secrets" (
	"environment" text NOT NULL,
	"name" text NOT NULL,
	"value_cipher" text NOT NULL,
	"masked" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "environment_secrets_environment_name_pk" PRIMARY KEY("environment","name")
);
--> statement-breakpoint
CREATE TABLE "environment_smtp" (
	"environment" text PRIMARY KEY NOT NULL,
	"url_cipher" text NOT NULL,
	"url_masked" text NOT NULL,
	"from_address" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "environment_vars" (
	"environment" text NOT NULL,
	"name" text NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "environment_vars_environment_name_pk" PRIMARY KEY("environment","name")
);
