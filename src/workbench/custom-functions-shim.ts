/**
 * Loaded before src/functions/functions.ts in the workbench: the build's metadata plugin adds
 * `CustomFunctions.associate(...)` calls to that module, which need the global Excel provides.
 * recalc.ts removes it again once the module has run, so the functions see no Excel (they then
 * compute with the configuration the workbench pins, at once).
 */
const g = globalThis as unknown as { CustomFunctions?: unknown };
if (typeof g.CustomFunctions === "undefined") g.CustomFunctions = { associate: () => undefined, __workbenchShim: true };
export {};
