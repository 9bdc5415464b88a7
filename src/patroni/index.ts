// Public API of the patroni area, re-exported by src/index.ts (exports by name).
export {};
