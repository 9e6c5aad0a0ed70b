import { emailSendNode } from './nodes/actions/email.js';
import { httpRequestNode } from './nodes/actions/http.js';
import { stripeRequestNode } from './nodes/actions/stripe.js';
import {
  tableDeleteNode,
  tableInsertNode,
  tableQueryNode,
  tableUpdateNode,
  tableUpsertNode,
} from './nodes/actions/tables.js';
import { failNode } from './nodes/logic/fail.js';
import { filterNode } from './nodes/logic/filter.js';
import { ifNode } from './nodes/logic/if.js';
import { logNode } from './nodes/logic/log.js';
import { loopNode } from './nodes/logic/loop.js';
import { setNode } from './nodes/logic/set.js';
import { switchNode } from './nodes/logic/switch.js';
import { NodeRegistry } from './registry.js';
import { familyByNodeType } from './triggers/families.js';
import { sampleTypesForTrigger } from './triggers/sample-types.js';
import { TRIGGER_NODES } from './triggers/trigger-nodes.js';

/** A registry holding every built-in node; add your own with `.register(defineNode(...))`. */
export function createRegistry(): NodeRegistry {
  const registry = new NodeRegistry();
  for (const def of TRIGGER_NODES) {
    // The generic trigger has no family: no prefix, no actions to pick (its types are its config).
    const fam = familyByNodeType(def.type);
    registry.register(def, {
      trigger: {
        prefix: fam?.prefix ?? '',
        actions: fam ? [...fam.actions] : [],
        sampleEventTypes: sampleTypesForTrigger(def.type),
      },
    });
  }
  for (const def of [
    switchNode,
    ifNode,
    filterNode,
    loopNode,
    setNode,
    logNode,
    failNode,
    tableUpsertNode,
    tableInsertNode,
    tableUpdateNode,
    tableDeleteNode,
    tableQueryNode,
    httpRequestNode,
    stripeRequestNode,
    emailSendNode,
  ]) {
    registry.register(def);
  }
  return registry;
}

export const defaultRegistry: NodeRegistry = createRegistry();

/** The editor's palette: every latest node type with its config JSON Schema and outputs. */
export function registryCatalog(registry: NodeRegistry = defaultRegistry) {
  return registry.catalog();
}
