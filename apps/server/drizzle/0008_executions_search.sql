ALTER TABLE "executions" ADD COLUMN "event_type" text;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "retried_at" timestamp with time zone;--> statement-breakpoint
-- Existing runs: the type of their event, and the failed runs already retried leave the dead-letter view.
-- Filled before the indexes are built, so each index is written once.
UPDATE "executions" x SET "event_type" = e."type" FROM "events" e WHERE e."id" = x."event_id";--> statement-breakpoint
UPDATE "executions" p SET "retried_at" = r."first_retry" FROM (SELECT "parent_id", min("created_at") AS "first_retry" FROM "executions" WHERE "origin" = 'retry' AND "parent_id" IS NOT NULL GROUP BY "parent_id") r WHERE p."id" = r."parent_id";--> statement-breakpoint
CREATE INDEX "executions_search_idx" ON "executions" USING btree ("environment","created_at","id");--> statement-breakpoint
CREATE INDEX "executions_search_workflow_idx" ON "executions" USING btree ("environment","workflow_id","created_at","id");--> statement-breakpoint
CREATE INDEX "executions_search_type_idx" ON "executions" USING btree ("environment","event_type","created_at","id");--> statement-breakpoint
CREATE INDEX "executions_search_object_idx" ON "executions" USING btree ("object_id","created_at","id");--> statement-breakpoint
CREATE INDEX "executions_search_failed_idx" ON "executions" USING btree ("environment","created_at","id") WHERE status = 'failed';--> statement-breakpoint
CREATE INDEX "executions_search_dead_letter_idx" ON "executions" USING btree ("environment","created_at","id") WHERE dead_lettered_at IS NOT NULL AND retried_at IS NULL;