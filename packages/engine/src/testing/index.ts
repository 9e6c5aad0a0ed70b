export { createMemoryPorts } from './memory-ports.js';
export type { MemoryPorts, MemoryPortsOptions } from './memory-ports.js';
