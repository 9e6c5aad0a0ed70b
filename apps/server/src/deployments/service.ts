import type { Deployment } from '@switchyard/contract';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { deployments, type Environment } from '../db/schema.js';
import { NotFoundError } from '../workflows/service.js';

/** Pause and resume: a paused deployment keeps its version, its events are stored, and ingest creates no runs for it. */
export class DeploymentService {
  /** Told after a pause or resume, so a registered Stripe endpoint's enabled_events follows what runs. */
  onChanged: ((environment: Environment) => Promise<void>) | undefined;

  constructor(private readonly db: Db) {}

  async list(): Promise<Deployment[]> {
    const rows = await this.db.select().from(deployments);
    return rows.map(present);
  }

  async setEnabled(workflowId: string, environment: Environment, enabled: boolean): Promise<Deployment> {
    const [row] = await this.db
      .update(deployments)
      .set({ enabled, updatedAt: sql`now()` })
      .where(and(eq(deployments.workflowId, workflowId), eq(deployments.environment, environment)))
      .returning();
    if (!row) throw new NotFoundError(`workflow ${workflowId} is not deployed in ${environment}`);
    await this.onChanged?.(environment);
    return present(row);
  }
}

function present(row: typeof deployments.$inferSelect): Deployment {
  return {
    workflowId: row.workflowId,
    environment: row.environment,
    version: row.version,
    enabled: row.enabled,
    updatedAt: row.updatedAt.toISOString(),
  };
}
