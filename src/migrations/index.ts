// Public API of the migrations area, re-exported by src/index.ts (exports by name).
export {};
