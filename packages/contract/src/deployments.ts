import { z } from 'zod';
import { Environment } from './environment.js';
import { operation } from './operation.js';
import { routes } from './routes.js';

/** What one environment runs of one workflow, and whether it is paused there. */
export const Deployment = z
  .object({
    workflowId: z.string(),
    environment: Environment,
    version: z.number().int().meta({ description: 'the version this environment runs' }),
    enabled: z.boolean().meta({ description: 'false while paused: events are stored but create no executions' }),
    updatedAt: z.string(),
  })
  .meta({ id: 'Deployment' });
export type Deployment = z.infer<typeof Deployment>;

export const DeploymentInput = z.object({ enabled: z.boolean() }).strict().meta({ id: 'DeploymentInput' });
export type DeploymentInput = z.infer<typeof DeploymentInput>;

export const deploymentOperations = {
  listDeployments: operation({ ...routes.listDeployments, answer: z.array(Deployment) }),
  setDeployment: operation({
    ...routes.setDeployment,
    params: z.object({ id: z.string(), env: Environment }),
    body: DeploymentInput,
    answer: Deployment,
  }),
};
