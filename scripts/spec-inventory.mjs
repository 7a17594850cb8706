// What a spec's split layout holds on disk, read from the source files rather than from the bundle: the operations
// of every paths/**/*.yaml (by first tag, the chapter) and the webhooks of every webhooks/*.yaml. Spec tests compare
// the bundle with it instead of hard-coding counts, so a spec that grows needs no test edit, while a path file left
// out of openapi.yaml (or lost in bundling) still fails.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function yamlFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith('.yaml'))
    .map((d) => path.join(d.parentPath ?? d.path, d.name))
    .sort();
}

/**
 * @param {string | URL} specDir the spec folder (`new URL('.', import.meta.url)` from its test)
 * @returns {{ operations: number, chapters: Record<string, number>, webhooks: number, files: { file: string, methods: string[], tags: string[] }[] }}
 */
export function specInventory(specDir) {
  const dir = specDir instanceof URL ? fileURLToPath(specDir) : specDir;
  const read = (file) => {
    const item = parse(readFileSync(file, 'utf8')) ?? {};
    const methods = METHODS.filter((m) => item[m]);
    return { file: path.relative(dir, file), methods, tags: methods.map((m) => item[m].tags?.[0]) };
  };
  const paths = yamlFiles(path.join(dir, 'paths')).map(read);
  const hooks = yamlFiles(path.join(dir, 'webhooks')).map(read);
  const chapters = {};
  for (const f of paths) for (const tag of f.tags) chapters[tag] = (chapters[tag] ?? 0) + 1;
  return {
    operations: paths.reduce((n, f) => n + f.methods.length, 0),
    chapters,
    webhooks: hooks.reduce((n, f) => n + f.methods.length, 0),
    files: paths,
  };
}
