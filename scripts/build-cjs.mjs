#!/usr/bin/env node
// The CommonJS build of a package, run from its folder after its ES module build (`tsc -p tsconfig.build.json` →
// dist/): `tsc -p tsconfig.cjs.json` compiles the same sources to dist/cjs/ (module CommonJS), and this script marks
// that folder `{"type": "commonjs"}` so Node and TypeScript read its .js and .d.ts files as CommonJS.
//
// A module that needs different code in each format (only `import.meta`, which CommonJS cannot contain) has a
// CommonJS twin `<name>-cjs.ts` beside `<name>.ts`: tsconfig.cjs.json excludes `<name>.ts` and resolves
// `./<name>.js` to the twin (`moduleSuffixes: ["-cjs", ""]`), and this script renames the twin's output to
// `<name>.js` so that the compiled `require('./<name>.js')` finds it. tsconfig.build.json excludes the twins.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const out = path.resolve('dist/cjs');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.cjs.json'], { stdio: 'inherit' });
writeFileSync(path.join(out, 'package.json'), '{ "type": "commonjs" }\n');

const SUFFIXES = ['.js', '.js.map', '.d.ts', '.d.ts.map'];
for (const entry of readdirSync(out, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile()) continue;
  const suffix = SUFFIXES.find((s) => entry.name.endsWith(`-cjs${s}`));
  if (!suffix) continue;
  const from = path.join(entry.parentPath, entry.name);
  const to = from.replace(/-cjs(\.js|\.js\.map|\.d\.ts|\.d\.ts\.map)$/, '$1');
  if (!suffix.endsWith('.map')) {
    // the comment that points at the source map names the file before its rename
    const base = path.basename(to);
    writeFileSync(from, readFileSync(from, 'utf8').replace(/(sourceMappingURL=)\S+-cjs(\.js|\.d\.ts)\.map/, `$1${base}.map`));
  }
  renameSync(from, to);
}
