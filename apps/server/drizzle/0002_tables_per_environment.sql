-- Data tables per environment. Hand-ordered: drizzle-kit adds the primary keys before the columns they use,
-- adds NOT NULL columns that existing rows cannot fill, and cannot name data_tables' old primary key.
ALTER TABLE "data_rows" DROP CONSTRAINT "data_rows_table_name_data_tables_name_fk";--> statement-breakpoint
ALTER TABLE "data_rows" DROP CONSTRAINT "data_rows_table_name_key_pk";--> statement-breakpoint
ALTER TABLE "data_tables" DROP CONSTRAINT "data_tables_pkey";--> statement-breakpoint
-- data migration: keep when regenerating (it replaces drizzle's two `ADD COLUMN "environment" text NOT NULL`)
-- A row moves to each environment that wrote it: an execution of the workflow its write_key names
-- (`workflowId:eventId:nodeId`) on the event it records (event_id, the Stripe id) in that environment's inbox.
-- Several environments can qualify (one Stripe account behind two of them): each gets a copy, so none loses a
-- row it relied on. A row no stored execution explains (hand-made, or its run pruned by retention) goes to
-- editor. Write keys gain the environment prefix the engine now puts in every idempotency key.
ALTER TABLE "data_rows" ADD COLUMN "environment" text;--> statement-breakpoint
ALTER TABLE "data_tables" ADD COLUMN "environment" text;--> statement-breakpoint
INSERT INTO "data_rows" ("environment", "table_name", "key", "values", "event_created", "event_id", "write_key", "created_at", "updated_at")
SELECT w."environment", r."table_name", r."key", r."values", r."event_created", r."event_id", w."environment" || ':' || r."write_key", r."created_at", r."updated_at"
FROM "data_rows" r
JOIN (
  SELECT DISTINCT r2."table_name", r2."key", x."environment"
  FROM "data_rows" r2
  JOIN "events" e ON e."stripe_id" = r2."event_id"
  JOIN "executions" x ON x."event_id" = e."id" AND x."environment" = e."environment"
  WHERE r2."environment" IS NULL AND r2."write_key" IS NOT NULL
    AND starts_with(r2."write_key", x."workflow_id" || ':' || e."stripe_id" || ':')
) w ON w."table_name" = r."table_name" AND w."key" = r."key"
WHERE r."environment" IS NULL;--> statement-breakpoint
DELETE FROM "data_rows" r WHERE r."environment" IS NULL AND EXISTS (
  SELECT 1 FROM "data_rows" c WHERE c."environment" IS NOT NULL AND c."table_name" = r."table_name" AND c."key" = r."key"
);--> statement-breakpoint
UPDATE "data_rows" SET "environment" = 'editor', "write_key" = 'editor:' || "write_key" WHERE "environment" IS NULL;--> statement-breakpoint
-- A table exists in each environment holding its rows; one without rows stays in editor.
INSERT INTO "data_tables" ("environment", "name", "created_at")
SELECT DISTINCT r."environment", t."name", t."created_at" FROM "data_tables" t JOIN "data_rows" r ON r."table_name" = t."name"
WHERE t."environment" IS NULL;--> statement-breakpoint
DELETE FROM "data_tables" t WHERE t."environment" IS NULL AND EXISTS (SELECT 1 FROM "data_rows" r WHERE r."table_name" = t."name");--> statement-breakpoint
UPDATE "data_tables" SET "environment" = 'editor' WHERE "environment" IS NULL;--> statement-breakpoint
ALTER TABLE "data_rows" ALTER COLUMN "environment" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "data_tables" ALTER COLUMN "environment" SET NOT NULL;--> statement-breakpoint
-- end of data migration
ALTER TABLE "data_tables" ADD CONSTRAINT "data_tables_environment_name_pk" PRIMARY KEY("environment","name");--> statement-breakpoint
ALTER TABLE "data_rows" ADD CONSTRAINT "data_rows_environment_table_name_key_pk" PRIMARY KEY("environment","table_name","key");--> statement-breakpoint
ALTER TABLE "data_rows" ADD CONSTRAINT "data_rows_table_fk" FOREIGN KEY ("environment","table_name") REFERENCES "public"."data_tables"("environment","name") ON DELETE cascade ON UPDATE no action;
