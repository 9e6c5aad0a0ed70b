ALTER TABLE "workflows" ADD COLUMN "draft" jsonb;--> statement-breakpoint
ALTER TABLE "workflows" ADD COLUMN "revision" integer DEFAULT 0 NOT NULL;