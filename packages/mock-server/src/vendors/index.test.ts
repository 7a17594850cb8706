import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileVendor, loadSpec, VENDORS } from '../spec.js';
import { loadStateModule } from './index.js';

describe('the vendors the sandbox serves', () => {
  it('are the @scrm-openapi/<vendor>-spec packages it depends on', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    const specs = Object.keys(pkg.dependencies).filter((d) => d.endsWith('-spec'));
    expect(VENDORS.map((v) => `@scrm-openapi/${v}-spec`)).toEqual(specs.sort());
    for (const v of VENDORS) expect(loadSpec(v)['x-scrm-vendor']).toBe(v);
  });

  it('refuses a spec that declares another vendor', () => {
    const [first, second] = VENDORS;
    expect(() => compileVendor(second!, loadSpec(first!))).toThrow(/declares x-scrm-vendor/);
  });

  it('loads the state module of every vendor that has one, by name, and none for a vendor without', async () => {
    const files = readdirSync(new URL('.', import.meta.url)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts');
    for (const f of files) expect(typeof (await loadStateModule(f.replace(/\.ts$/, '')))?.create, f).toBe('function');
    expect(await loadStateModule('no-such-vendor')).toBeUndefined();
    await expect(loadStateModule('../server')).rejects.toThrow(/not a vendor name/);
  });
});
