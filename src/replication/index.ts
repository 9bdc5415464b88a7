// Public API of the replication area, re-exported by src/index.ts (exports by name).
export {};
