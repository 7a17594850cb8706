/**
 * Where the compiled sandbox lives, and how it loads a file of its own at run time: spec.ts resolves the vendors'
 * spec packages from `moduleUrl`, and vendors/index.ts loads the state modules (`./vendors/<vendor>.js`) with
 * `importFile`. The CommonJS build (dist/cjs) compiles the twin `module-location-cjs.ts` instead, because a CommonJS
 * file cannot contain `import.meta` and TypeScript turns `import()` into `require()` there (scripts/build-cjs.mjs).
 */

/** The URL of this file (dist/module-location.js, or src/module-location.ts under vitest). */
export const moduleUrl: string = import.meta.url;

/** Loads an ES module by URL; a missing file rejects with the code `ERR_MODULE_NOT_FOUND`. */
export function importFile(url: string): Promise<Record<string, unknown>> {
  return import(url) as Promise<Record<string, unknown>>;
}
