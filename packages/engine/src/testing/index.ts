export type { MemoryPorts, MemoryPortsOptions } from './memory-ports.js';
export { createMemoryPorts } from './memory-ports.js';
