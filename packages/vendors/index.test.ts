import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bundledSpec, countOperations, listVendors, REPO_ROOT, vendor, vendorNames, vendors } from './index.mjs';

const json = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

describe('the registry', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'vendors-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const workspace = (dir: string, pkg: object, spec?: string) => {
    mkdirSync(path.join(scratch, dir), { recursive: true });
    writeFileSync(path.join(scratch, dir, 'package.json'), JSON.stringify(pkg));
    if (spec !== undefined) writeFileSync(path.join(scratch, dir, 'openapi.yaml'), spec);
  };
  writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ workspaces: ['specs/*', 'packages/*'] }));
  workspace(
    'specs/acme',
    { name: '@scrm-openapi/acme-spec' },
    [
      'openapi: 3.1.0',
      'info: {title: Acme open API, x-scrm-display-name: 阿克米 Acme, version: 1.0.0}',
      'x-scrm-vendor: acme',
      'x-scrm-auth: {type: static, default: key, credentials: {key: apiKey, key2: otherKey}}',
      'x-scrm-sandbox: {credentials: {apiKey: sandbox-acme-key}}',
    ].join('\n'),
  );
  workspace('specs/plain', { name: 'plain-openapi' }, 'openapi: 3.1.0\ninfo: {title: not a vendor, version: 1.0.0}\n');
  workspace('packages/acme', { name: '@scrm-openapi/acme' });

  it('finds a vendor by the x-scrm-vendor of a workspace spec, and ignores specs without it', () => {
    const found = listVendors(scratch);
    expect(found.map((v) => v.name)).toEqual(['acme']);
    expect(found[0]).toMatchObject({
      displayName: '阿克米 Acme',
      specPackage: '@scrm-openapi/acme-spec',
      clientPackage: '@scrm-openapi/acme',
      packageDir: path.join(scratch, 'packages/acme'),
      factory: 'createAcmeClient',
      sandboxCredentials: { apiKey: 'sandbox-acme-key' },
      credentials: [
        { option: 'apiKey', wire: 'key', required: true, env: 'ACME_API_KEY' },
        { option: 'otherKey', wire: 'key2', required: false, env: 'ACME_OTHER_KEY' },
      ],
    });
  });

  it('lists vendors in the order their specs declare (info.x-scrm-display-order), those without one last, ties by name', () => {
    const spec = (name: string, order?: number) =>
      `openapi: 3.1.0\ninfo: {title: ${name}, version: 1.0.0${order === undefined ? '' : `, x-scrm-display-order: ${order}`}}\nx-scrm-vendor: ${name}\n`;
    const added = ['zulu', 'yankee', 'bravo', 'alpha'];
    workspace('specs/zulu', { name: '@scrm-openapi/zulu-spec' }, spec('zulu', 1));
    workspace('specs/yankee', { name: '@scrm-openapi/yankee-spec' }, spec('yankee', 2));
    workspace('specs/bravo', { name: '@scrm-openapi/bravo-spec' }, spec('bravo', 2));
    workspace('specs/alpha', { name: '@scrm-openapi/alpha-spec' }, spec('alpha'));
    try {
      const found = listVendors(scratch);
      expect(found.map((v) => v.name)).toEqual(['zulu', 'bravo', 'yankee', 'acme', 'alpha']);
      expect(found[0]!.displayOrder).toBe(1);
      expect(found.at(-1)!.displayOrder).toBeUndefined();
    } finally {
      for (const name of added) rmSync(path.join(scratch, 'specs', name), { recursive: true });
    }
  });

  it('lists the vendors of this repository in their declared order, each with an order of its own, WeCom first', () => {
    const orders = vendors.map((v) => v.displayOrder);
    expect(
      orders.every((o) => Number.isInteger(o)),
      'every spec declares info.x-scrm-display-order',
    ).toBe(true);
    expect(orders, 'no two vendors share a display order').toEqual([...new Set(orders)].sort((a, b) => a! - b!));
    expect(vendorNames[0]).toBe('wecom');
  });

  it('refuses a spec package that is not named after its x-scrm-vendor', () => {
    workspace(
      'specs/misnamed',
      { name: '@scrm-openapi/other-spec' },
      'openapi: 3.1.0\ninfo: {title: t, version: 1.0.0}\nx-scrm-vendor: misnamed\n',
    );
    try {
      expect(() => listVendors(scratch)).toThrow(/must be named @scrm-openapi\/misnamed-spec/);
    } finally {
      rmSync(path.join(scratch, 'specs/misnamed'), { recursive: true });
    }
  });

  it('lists exactly the spec folders of this repository that declare x-scrm-vendor, named after their folder', () => {
    const specs = path.join(REPO_ROOT, 'specs');
    const declared = readdirSync(specs).filter(
      (d) =>
        existsSync(path.join(specs, d, 'openapi.yaml')) &&
        /^x-scrm-vendor: *\S/m.test(readFileSync(path.join(specs, d, 'openapi.yaml'), 'utf8')),
    );
    expect([...vendorNames].sort()).toEqual(declared.sort());
    expect(vendorNames.length).toBeGreaterThan(0);
    expect(() => vendor('no-such-vendor')).toThrow(/unknown vendor no-such-vendor/);
  });
});

// Everything a vendor needs outside its two folders. A vendor added without one of these fails here, with the fix.
describe.each(vendors.map((v) => [v.name, v] as const))('%s', (name, v) => {
  it('has a client package whose factory (and callback factory) the registry names', async () => {
    expect(v.clientPackage, `packages/${name} is missing`).toBe(`@scrm-openapi/${name}`);
    const mod = await import(v.clientPackage!);
    expect(typeof mod[v.factory], `${v.clientPackage} exports ${v.factory}`).toBe('function');
    const exportsMap = json(path.join(v.packageDir!, 'package.json')).exports ?? {};
    if (exportsMap['./callback']) expect(typeof (await import(`${v.clientPackage}/callback`))[v.callbackFactory]).toBe('function');
  });

  it('has a display name and sandbox credentials for every credential option of x-scrm-auth', () => {
    const spec = bundledSpec(v);
    expect(spec.info['x-scrm-display-name'], 'info.x-scrm-display-name').toBeTruthy();
    expect(v.credentials.length).toBeGreaterThan(0);
    expect(Object.keys(v.sandboxCredentials).sort()).toEqual(v.credentials.map((c) => c.option).sort());
    expect(countOperations(spec).operations).toBeGreaterThan(0);
  });

  it('is wired into the three places outside its folders: this package, the sandbox and redocly.yaml', () => {
    const own = json(path.join(REPO_ROOT, 'packages/vendors/package.json')).devDependencies ?? {};
    expect(own, 'packages/vendors/package.json devDependencies (the build graph of the docs, demo and tools)').toHaveProperty([
      v.specPackage,
    ]);
    expect(own).toHaveProperty([v.clientPackage!]);
    const sandbox = json(path.join(REPO_ROOT, 'packages/mock-server/package.json'));
    expect(sandbox.dependencies, 'packages/mock-server/package.json dependencies (the vendors the sandbox serves)').toHaveProperty([
      v.specPackage,
    ]);
    const lint = parse(readFileSync(path.join(REPO_ROOT, 'redocly.yaml'), 'utf8'));
    expect(lint.apis?.[`${name}@v1`]?.root, `redocly.yaml apis: ${name}@v1`).toBe(`specs/${name}/openapi.yaml`);
  });
});
