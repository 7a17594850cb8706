#!/usr/bin/env node
// Checks every public package the way a consumer would get it: publint (package.json and the packed files),
// attw --pack with its strict profile (types and JavaScript resolve, in the right format, for node10 — TypeScript's
// `moduleResolution: node`, NestJS's default —, node16 from CommonJS and from ES modules, and bundler), and
// `npm publish --dry-run`.
// Prints the packed size of each. Run after `turbo run build`.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
export function publicPackages() {
  return ['specs', 'packages']
    .flatMap((dir) => readdirSync(path.join(root, dir)).map((name) => path.join(dir, name)))
    .filter((dir) => existsSync(path.join(root, dir, 'package.json')))
    .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8')) }))
    .filter(({ pkg }) => !pkg.private);
}

if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  let failed = 0;
  const rows = [];
  for (const { dir, pkg } of publicPackages()) {
    const cwd = path.join(root, dir);
    const run = (cmd, args) => {
      try {
        return {
          ok: true,
          out: execFileSync(cmd, args, {
            cwd,
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'pipe'],
            env: { ...process.env, NO_COLOR: '1' },
          }),
        };
      } catch (e) {
        return { ok: false, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
      }
    };
    const publint = run(bin('publint'), ['--strict']);
    const hasTypes = Boolean(pkg.types);
    const attw = hasTypes
      ? run(bin('attw'), ['--pack', '.', '--profile', 'strict', '--format', 'ascii'])
      : { ok: true, out: 'no JavaScript entry (spec package)' };
    const dry = run('npm', ['publish', '--dry-run', '--json', '--ignore-scripts']);
    let size = '?';
    let files = '?';
    try {
      const parsed = JSON.parse(dry.out.slice(dry.out.indexOf('{')));
      const info = parsed[pkg.name] ?? parsed;
      size = `${(info.size / 1024).toFixed(1)} kB packed, ${(info.unpackedSize / 1024).toFixed(0)} kB unpacked`;
      files = String(info.entryCount ?? info.files?.length);
    } catch {
      /* keep ? */
    }
    const ok = publint.ok && attw.ok && dry.ok;
    if (!ok) {
      failed++;
      console.error(
        `✗ ${pkg.name}\n${[publint, attw, dry]
          .filter((r) => !r.ok)
          .map((r) => r.out)
          .join('\n')}`,
      );
    }
    rows.push(`${ok ? '✓' : '✗'} ${pkg.name.padEnd(28)} ${size.padEnd(36)} ${files} files`);
  }
  console.log(rows.join('\n'));
  console.log(
    `packages: ${rows.length - failed} passed, ${failed} failed (publint --strict, attw --profile strict, npm publish --dry-run)`,
  );
  process.exit(failed ? 1 : 0);
}
