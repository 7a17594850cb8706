/** The CommonJS twin of module-location.ts, compiled to dist/cjs/module-location.js (see that file). */
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The URL of this file (dist/cjs/module-location.js). */
export const moduleUrl: string = pathToFileURL(__filename).href;

/** Loads a CommonJS module by URL; a missing file rejects with the code `ERR_MODULE_NOT_FOUND`, as import() does. */
export async function importFile(url: string): Promise<Record<string, unknown>> {
  const file = fileURLToPath(url);
  try {
    return require(file) as Record<string, unknown>;
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { requireStack?: unknown };
    // only this file missing, not a module it requires
    if (e.code === 'MODULE_NOT_FOUND' && String(e.message).includes(file)) e.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
}
