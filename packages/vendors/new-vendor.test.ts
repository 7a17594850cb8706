// "A new vendor is two folders": a made-up vendor (test/fixture: specs/acme and packages/acme, nothing else) is
// copied into a scratch repository and taken end to end — found by the registry, its spec linted with the
// repository's rules and bundled, its package's src/generated and the compiled profile.json written by codegen, served
// by the sandbox from those files, and called through its own client: a token fetched, a read, a paged list walked to
// its end, and a bad request answered in the vendor's own error envelope.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScrmApiError, unwrap } from '@scrm-openapi/core';
import { startMockServer, type MockServer } from '@scrm-openapi/mock-server';
import { listVendors, REPO_ROOT } from './index.mjs';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'test', 'fixture');
const scratch = mkdtempSync(path.join(tmpdir(), 'new-vendor-'));
const env = {
  ...process.env,
  PATH: `${path.join(REPO_ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}`,
  REDOCLY_TELEMETRY: 'off',
};

/** Runs a package's own npm script (as `npm run <name>` would, without npm's workspace machinery). */
function runScript(dir: string, name: string): string {
  const script = (JSON.parse(readFileSync(path.join(scratch, dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts[
    name
  ];
  if (!script) throw new Error(`${dir} has no ${name} script`);
  const run = spawnSync(script, { cwd: path.join(scratch, dir), env, encoding: 'utf8', shell: true });
  const output = `${run.stdout}${run.stderr}`;
  if (run.status !== 0) throw new Error(`${dir}: \`${script}\` failed (${run.status}):\n${output}`);
  return output;
}

type AcmeClient = {
  GET(path: string, init?: unknown): Promise<{ data?: any; error?: any; response: Response }>;
  paginate(path: string, init?: unknown, options?: unknown): { toArray(): Promise<any[]> };
};

let server: MockServer;
let client: AcmeClient;

beforeAll(async () => {
  // the repository's layout: a root manifest with its workspaces, its lint configuration, its installed packages
  cpSync(FIXTURE, scratch, { recursive: true });
  writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ private: true, workspaces: ['specs/*', 'packages/*'] }));
  const lintConfig = readFileSync(path.join(REPO_ROOT, 'redocly.yaml'), 'utf8')
    .replace('./packages/codegen/redocly-plugin.mjs', path.join(REPO_ROOT, 'packages/codegen/redocly-plugin.mjs'))
    .replace(/\napis:\n(?: .*\n|\n)*?(?=\S)/, '\n');
  writeFileSync(path.join(scratch, 'redocly.yaml'), lintConfig);
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(scratch, 'node_modules'), 'dir');
}, 60_000);
afterAll(async () => {
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('a fifth vendor from its two folders', () => {
  it('has nothing outside specs/acme and packages/acme', () => {
    expect(readdirSync(FIXTURE).sort()).toEqual(['packages', 'specs']);
    expect(readdirSync(path.join(FIXTURE, 'specs'))).toEqual(['acme']);
    expect(readdirSync(path.join(FIXTURE, 'packages'))).toEqual(['acme']);
  });

  it('is found by the registry, with its factory and sandbox credentials', () => {
    const [acme, ...others] = listVendors(scratch);
    expect(others).toEqual([]);
    expect(acme).toMatchObject({ name: 'acme', clientPackage: '@scrm-openapi/acme', factory: 'createAcmeClient', displayOrder: 99 });
    expect(acme!.credentials.map((c) => c.option).sort()).toEqual(['appKey', 'appSecret']);
  });

  it('passes the repository lint (scrm/vocabulary included) and bundles', () => {
    expect(runScript('specs/acme', 'lint:spec')).toMatch(/Your API description is valid/);
    runScript('specs/acme', 'bundle');
    expect(JSON.parse(readFileSync(path.join(scratch, 'specs/acme/dist/openapi.json'), 'utf8'))['x-scrm-vendor']).toBe('acme');
  }, 60_000);

  it('codegen writes its package src/generated and the compiled profile.json', () => {
    runScript('packages/acme', 'generate');
    expect(readdirSync(path.join(scratch, 'packages/acme/src/generated')).sort()).toEqual([
      'callbacks.ts',
      'errors.ts',
      'openapi.ts',
      'profile.ts',
      'provenance.ts',
      'schemas.ts',
      'validators.ts',
      'webhook-schemas.ts',
      'webhooks.ts',
    ]);
    const model = JSON.parse(readFileSync(path.join(scratch, 'specs/acme/dist/profile.json'), 'utf8'));
    expect(model.profile).toMatchObject({
      vendor: 'acme',
      envelope: { code: 'ret', message: 'msg' },
      auth: { type: 'token-endpoint', operationId: 'getToken' },
    });
    expect(model.sandbox.credentials).toEqual({ appKey: 'sandbox-acme-app-key', appSecret: 'sandbox-acme-app-secret' });
  }, 60_000);

  it('is served by the sandbox from those files and called through its own client', async () => {
    expect(existsSync(path.join(scratch, 'specs/acme/dist/profile.json')), 'the steps above ran').toBe(true);
    server = await startMockServer({
      vendors: [],
      extraSpecs: [
        { openapi: path.join(scratch, 'specs/acme/dist/openapi.json'), profile: path.join(scratch, 'specs/acme/dist/profile.json') },
      ],
    });
    const { createAcmeClient } = (await import(pathToFileURL(path.join(scratch, 'packages/acme/src/index.ts')).href)) as {
      createAcmeClient: (options: object) => AcmeClient;
    };
    client = createAcmeClient({ ...server.credentials.acme, baseUrl: `${server.url}/acme`, retry: false });

    // a read: the token endpoint first (the sandbox checks the credentials from x-scrm-sandbox), then the call
    const read = unwrap(await client.GET('/widgets/get', { params: { query: { id: 'w1' } } }));
    expect(read.widget).toEqual({ id: 'w1', name: '扳手' });

    // a paged list, walked to its end two at a time: three pages, every item once
    const all = await client.paginate('/widgets/list', undefined, { pageSize: 2 }).toArray();
    expect(all.map((w) => w.id)).toEqual(['w1', 'w2', 'w3', 'w4', 'w5']);
    expect(server.stats().requests).toEqual({ 'acme.getToken': 1, 'acme.getWidget': 1, 'acme.listWidgets': 3 });

    // a bad request (the required id missing): the vendor's own envelope, code and message, as a typed error
    const bad = await client.GET('/widgets/get', { params: { query: {} } });
    expect(bad.error).toMatchObject({ ret: 4001 });
    expect(bad.error.msg).toContain('id');
    let thrown: unknown;
    try {
      unwrap(bad);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ScrmApiError);
    expect(thrown).toMatchObject({ vendor: 'acme', code: 4001 });

    // and a wrong secret is refused by its token endpoint with the code x-scrm-sandbox names
    const wrong = createAcmeClient({ ...server.credentials.acme, appSecret: 'wrong', baseUrl: `${server.url}/acme`, retry: false });
    await expect(wrong.GET('/widgets/get', { params: { query: { id: 'w1' } } })).rejects.toMatchObject({ vendor: 'acme', code: 4010 });
  }, 60_000);
});
