export {
  TRIGGER_FAMILIES,
  TRIGGER_NODE_TYPES,
  familyOf,
  familyByNodeType,
  isTriggerType,
  actionOf,
} from './triggers/families.js';
export type { TriggerFamily, TriggerNodeType } from './triggers/families.js';
