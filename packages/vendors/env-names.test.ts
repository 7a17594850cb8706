// One name per credential: `.env.example` is the list of the environment variables the project reads, and it names
// every client credential as the registry does (`<VENDOR>_<OPTION>`, e.g. corpSecret → WECOM_CORP_SECRET). Every
// README, docs page and guide, the demo and the sources may only mention a vendor's variables from that list, so a
// user who copies a snippet never sets a name nothing reads.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, vendors } from './index.mjs';

/** Files people read or copy from: tracked Markdown, scripts, sources, pages and `.env.example`; generated output aside. */
function trackedTextFiles(root: string): string[] {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  return files.filter(
    (f) =>
      /(\.(md|mjs|cjs|js|mts|ts|html|yaml|yml)|(^|\/)\.env\.example)$/.test(f) &&
      !/(^|\/)(node_modules|dist|src\/generated|\.changeset)\//.test(f) &&
      !f.startsWith('bench/.cache/'),
  );
}

/** `<VENDOR>_…` names in a text, for the given vendor prefixes. */
function vendorVariables(text: string, prefixes: readonly string[]): string[] {
  const pattern = new RegExp(`\\b(?:${prefixes.join('|')})_[A-Z0-9_]*[A-Z0-9]\\b`, 'g');
  return [...new Set(text.match(pattern) ?? [])];
}

/** The variables `.env.example` declares (`NAME=` lines). */
function declared(envExample: string): Set<string> {
  return new Set([...envExample.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] as string));
}

const prefixes = vendors.map((v) => v.name.toUpperCase().replace(/[^A-Z0-9]+/g, '_'));
const envExample = readFileSync(path.join(REPO_ROOT, '.env.example'), 'utf8');
const list = declared(envExample);

describe('environment variable names (one name per credential)', () => {
  it('finds vendor variables by prefix and ignores look-alikes', () => {
    const text = ['ACME_KEY=1', 'process.env.ACME_API_KEY', 'XACME_NOPE', 'ACME_', 'acme_lower'].join('\n');
    expect(vendorVariables(text, ['ACME']).sort()).toEqual(['ACME_API_KEY', 'ACME_KEY']);
  });

  it('.env.example declares every client credential under the name the registry derives from its option', () => {
    const missing = vendors.flatMap((v) => v.credentials.filter((c) => !list.has(c.env)).map((c) => `${c.env} (${v.name}.${c.option})`));
    expect(missing, 'add these to .env.example').toEqual([]);
  });

  it('.env.example declares no vendor credential the clients do not take, besides the callback settings', () => {
    const credentialNames = new Set(vendors.flatMap((v) => v.credentials.map((c) => c.env)));
    const extra = [...list].filter(
      (name) => prefixes.some((p) => name.startsWith(`${p}_`)) && !credentialNames.has(name) && !/_CALLBACK_/.test(name),
    );
    expect(extra, 'not a client option of any vendor (x-scrm-auth.credentials)').toEqual([]);
  });

  it('docs, READMEs, the demo and the sources mention only variables .env.example declares', () => {
    const strays: string[] = [];
    for (const file of trackedTextFiles(REPO_ROOT)) {
      const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
      for (const name of vendorVariables(text, prefixes)) if (!list.has(name)) strays.push(`${file}: ${name}`);
    }
    expect(strays, 'use the names in .env.example').toEqual([]);
  });
});
