import { randomBytes } from 'node:crypto';
import {
  defaultRegistry,
  isTriggerType,
  triggerSelection,
  type ValidationIssue,
  validateWorkflow,
  type WorkflowDocument,
} from '@switchyard/engine';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { deployments, type Environment, workflows, workflowVersions } from '../db/schema.js';

export class InvalidWorkflowError extends Error {
  override name = 'InvalidWorkflowError';
  constructor(readonly issues: ValidationIssue[]) {
    super(issues.map((i) => i.text).join('; '));
  }
}

export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** A write whose If-Match no longer names the workflow's state: nothing was saved; `current` is what is stored. */
export class VersionConflictError extends Error {
  override name = 'VersionConflictError';
  constructor(readonly current: WorkflowDetail) {
    super(
      `the workflow changed since it was loaded (now v${current.version}, ETag ${current.etag}); reload it or save again with the new ETag`,
    );
  }
}

/** `"<latest version>.<revision>"`: changes with every version and every draft write. */
export const etagOf = (row: { latestVersion: number; revision: number }) => `"${row.latestVersion}.${row.revision}"`;

export interface WorkflowSummary {
  id: string;
  name: string;
  version: number;
  triggerType: string | null;
  updatedAt: string;
  published: { staging: number | null; production: number | null };
}

export interface WorkflowDetail extends WorkflowSummary {
  /** The latest saved version's document. */
  document: WorkflowDocument;
  warnings: { path: string; message: string }[];
  /** The autosaved document not yet saved as a version, or null. */
  draft: WorkflowDocument | null;
  etag: string;
}

/** A write's precondition: the ETag the client last read (If-Match), absent for an unconditional write. */
export interface WriteOptions {
  ifMatch?: string | undefined;
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Workflows are append-only versions; deployments say which version each environment runs. */
export class WorkflowService {
  /** Told after a save (editor) or publish changed what an environment runs, e.g. to update the Stripe endpoint's events. */
  onDeploymentsChanged: ((environments: Environment[]) => Promise<void>) | undefined;

  constructor(private readonly db: Db) {}

  /** `paused`: an import or duplicate starts paused in the editor environment, so it runs nothing until turned on. */
  async create(input: unknown, options: { paused?: boolean } = {}): Promise<WorkflowDetail> {
    const { document, warnings } = this.#validate(input);
    const id = `wf_${randomBytes(9).toString('base64url')}`;
    await this.db.transaction(async (tx) => {
      await tx.insert(workflows).values({ id, name: document.name, latestVersion: 1 });
      await this.#saveVersion(tx, id, 1, document, !options.paused);
    });
    await this.onDeploymentsChanged?.(['editor']);
    return { ...(await this.get(id)), warnings };
  }

  /** Save: a new version, which the editor environment then runs; the draft, if any, is gone. */
  async update(id: string, input: unknown, options: WriteOptions = {}): Promise<WorkflowDetail> {
    const { document, warnings } = this.#validate(input);
    await this.db.transaction(async (tx) => {
      const row = await this.#lock(tx, id, options);
      await this.#newVersion(tx, id, row.latestVersion + 1, document);
    });
    await this.onDeploymentsChanged?.(['editor']);
    return { ...(await this.get(id)), warnings };
  }

  /** Autosave: keeps the document as the workflow's draft. No version, and nothing runs it. */
  async saveDraft(id: string, input: unknown, options: WriteOptions = {}): Promise<WorkflowDetail> {
    const { document, warnings } = this.#validate(input);
    await this.db.transaction(async (tx) => {
      await this.#lock(tx, id, options);
      await tx
        .update(workflows)
        .set({ draft: document, revision: sql`${workflows.revision} + 1`, updatedAt: new Date() })
        .where(eq(workflows.id, id));
    });
    return { ...(await this.get(id)), warnings };
  }

  async get(id: string): Promise<WorkflowDetail> {
    const [row] = await this.db.select().from(workflows).where(eq(workflows.id, id));
    if (!row) throw new NotFoundError(`workflow ${id} does not exist`);
    const deployed = await this.db.select().from(deployments).where(eq(deployments.workflowId, id));
    const { document } = await this.version(id, row.latestVersion);
    const draft = (row.draft as WorkflowDocument | null) ?? null;
    return {
      ...this.#present(row, deployed),
      document,
      warnings: this.#warnings(draft ?? document),
      draft,
      etag: etagOf(row),
    };
  }

  async list(): Promise<WorkflowSummary[]> {
    const rows = await this.db.select().from(workflows).orderBy(desc(workflows.updatedAt));
    const deployed = await this.db.select().from(deployments);
    return rows.map((w) =>
      this.#present(
        w,
        deployed.filter((d) => d.workflowId === w.id),
      ),
    );
  }

  /**
   * Deletes the workflow and its versions; its past executions stay as records. Its unfinished runs fail at once
   * with the reason, in the same transaction: they could never load their version again, and would otherwise
   * crash on every claim until the dead-letter limit. A run in hand elsewhere loses its lease, so its worker
   * stops it before its next side effect.
   */
  async delete(id: string): Promise<void> {
    const deleted = await this.db.transaction(async (tx) => {
      const rows = await tx.delete(workflows).where(eq(workflows.id, id)).returning({ id: workflows.id });
      if (rows.length === 0) return rows;
      await tx.execute(sql`UPDATE executions SET status = 'failed', finished_at = now(), lease_owner = NULL, lease_until = NULL,
        error = ${JSON.stringify({ name: 'WorkflowDeleted', message: `workflow ${id} was deleted before this run finished` })}::text::jsonb
        WHERE workflow_id = ${id} AND status IN ('pending', 'running')`);
      return rows;
    });
    if (deleted.length === 0) throw new NotFoundError(`workflow ${id} does not exist`);
    await this.onDeploymentsChanged?.(['editor', 'staging', 'production']);
  }

  async versions(id: string): Promise<{ version: number; name: string; createdAt: string }[]> {
    await this.#summary(id);
    const rows = await this.db
      .select({ version: workflowVersions.version, name: workflowVersions.name, createdAt: workflowVersions.createdAt })
      .from(workflowVersions)
      .where(eq(workflowVersions.workflowId, id))
      .orderBy(desc(workflowVersions.version));
    return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
  }

  async version(id: string, version: number): Promise<{ version: number; document: WorkflowDocument }> {
    const [row] = await this.db
      .select({ document: workflowVersions.document })
      .from(workflowVersions)
      .where(and(eq(workflowVersions.workflowId, id), eq(workflowVersions.version, version)));
    if (!row) throw new NotFoundError(`workflow ${id} has no version ${version}`);
    return { version, document: row.document as WorkflowDocument };
  }

  /**
   * Staging and production run only what was published to them; rollback is publishing an older version. Without
   * a version, the latest is published, after saving a pending draft as a version of its own.
   */
  async publish(
    id: string,
    environment: Exclude<Environment, 'editor'>,
    version?: number,
  ): Promise<{ environment: Environment; version: number }> {
    const savedDraft = { value: false };
    const target = await this.db.transaction(async (tx) => {
      let target = version;
      if (target === undefined) {
        const row = await this.#lock(tx, id, {});
        target = row.latestVersion;
        if (row.draft !== null) {
          target += 1;
          await this.#newVersion(tx, id, target, row.draft as WorkflowDocument);
          savedDraft.value = true;
        }
      }
      const [found] = await tx
        .select({ document: workflowVersions.document })
        .from(workflowVersions)
        .where(and(eq(workflowVersions.workflowId, id), eq(workflowVersions.version, target)));
      if (!found) throw new NotFoundError(`workflow ${id} has no version ${target}`);
      await this.#deploy(tx, environment, id, target, found.document as WorkflowDocument);
      return target;
    });
    await this.onDeploymentsChanged?.(savedDraft.value ? ['editor', environment] : [environment]);
    return { environment, version: target };
  }

  /** Event types each environment's deployed workflows listen to, for webhook registration. */
  async deployedTriggers(
    environment: Environment,
  ): Promise<{ triggerType: string; triggerActions: string[]; enabled: boolean }[]> {
    return this.db
      .select({
        triggerType: deployments.triggerType,
        triggerActions: deployments.triggerActions,
        enabled: deployments.enabled,
      })
      .from(deployments)
      .where(eq(deployments.environment, environment));
  }

  #validate(input: unknown): { document: WorkflowDocument; warnings: { path: string; message: string }[] } {
    const result = validateWorkflow(input, { registry: defaultRegistry });
    if (!result.ok) throw new InvalidWorkflowError(result.errors);
    // Store the validated document: versions pinned and defaults applied, so it runs the same way forever.
    const { __valid: _valid, ...document } = result.workflow as WorkflowDocument & { __valid?: true };
    return { document, warnings: result.warnings.map(({ path, message }) => ({ path, message })) };
  }

  #warnings(document: WorkflowDocument): { path: string; message: string }[] {
    const result = validateWorkflow(document, { registry: defaultRegistry });
    return result.warnings.map(({ path, message }) => ({ path, message }));
  }

  /**
   * Locks the workflow's row for a write and checks its precondition. The lock makes two saves at once get
   * consecutive versions, and an If-Match checked under it cannot be overtaken before the write.
   */
  async #lock(tx: Tx, id: string, options: WriteOptions): Promise<typeof workflows.$inferSelect> {
    const [row] = await tx.select().from(workflows).where(eq(workflows.id, id)).for('update');
    if (!row) throw new NotFoundError(`workflow ${id} does not exist`);
    if (options.ifMatch !== undefined && !etagMatches(options.ifMatch, etagOf(row))) {
      const deployed = await tx.select().from(deployments).where(eq(deployments.workflowId, id));
      const [latest] = await tx
        .select({ document: workflowVersions.document })
        .from(workflowVersions)
        .where(and(eq(workflowVersions.workflowId, id), eq(workflowVersions.version, row.latestVersion)));
      const document = latest!.document as WorkflowDocument;
      const draft = (row.draft as WorkflowDocument | null) ?? null;
      throw new VersionConflictError({
        ...this.#present(row, deployed),
        document,
        warnings: this.#warnings(draft ?? document),
        draft,
        etag: etagOf(row),
      });
    }
    return row;
  }

  async #newVersion(tx: Tx, id: string, version: number, document: WorkflowDocument): Promise<void> {
    await tx
      .update(workflows)
      .set({
        name: document.name,
        latestVersion: version,
        draft: null,
        revision: sql`${workflows.revision} + 1`,
        updatedAt: new Date(),
      })
      .where(eq(workflows.id, id));
    await this.#saveVersion(tx, id, version, document);
  }

  async #saveVersion(tx: Tx, id: string, version: number, document: WorkflowDocument, enabled = true): Promise<void> {
    await tx.insert(workflowVersions).values({ workflowId: id, version, name: document.name, document });
    // The editor environment always runs the latest save.
    await this.#deploy(tx, 'editor', id, version, document, enabled);
  }

  async #deploy(
    tx: Tx,
    environment: Environment,
    workflowId: string,
    version: number,
    document: WorkflowDocument,
    /** Only for a new deployment: an existing one keeps its paused or running state through saves and publishes. */
    enabled = true,
  ): Promise<void> {
    const trigger = document.nodes.find((n) => isTriggerType(n.type));
    if (!trigger)
      throw new InvalidWorkflowError([
        {
          path: 'nodes',
          message: 'a workflow needs exactly one trigger',
          text: 'nodes: a workflow needs exactly one trigger',
        },
      ]);
    // A family's actions, or the generic trigger's type patterns: what ingest matches in SQL.
    const actions = triggerSelection(trigger);
    const values = {
      environment,
      workflowId,
      version,
      triggerType: trigger.type,
      triggerActions: actions,
      enabled,
      updatedAt: new Date(),
    };
    await tx
      .insert(deployments)
      .values(values)
      .onConflictDoUpdate({
        target: [deployments.environment, deployments.workflowId],
        set: { version, triggerType: trigger.type, triggerActions: actions, updatedAt: sql`now()` },
      });
  }

  async #summary(id: string): Promise<WorkflowSummary> {
    const [row] = await this.db.select().from(workflows).where(eq(workflows.id, id));
    if (!row) throw new NotFoundError(`workflow ${id} does not exist`);
    const deployed = await this.db.select().from(deployments).where(eq(deployments.workflowId, id));
    return this.#present(row, deployed);
  }

  #present(row: typeof workflows.$inferSelect, deployed: (typeof deployments.$inferSelect)[]): WorkflowSummary {
    const at = (env: Environment) => deployed.find((d) => d.environment === env)?.version ?? null;
    return {
      id: row.id,
      name: (row.draft as WorkflowDocument | null)?.name ?? row.name,
      version: row.latestVersion,
      triggerType: deployed.find((d) => d.environment === 'editor')?.triggerType ?? null,
      updatedAt: row.updatedAt.toISOString(),
      published: { staging: at('staging'), production: at('production') },
    };
  }
}

/** If-Match as RFC 9110 reads it: `*` or a list of ETags, weak ones compared by their opaque tag. */
function etagMatches(header: string, etag: string): boolean {
  const tags = header.split(',').map((t) => t.trim().replace(/^W\//, ''));
  return tags.includes('*') || tags.includes(etag);
}
