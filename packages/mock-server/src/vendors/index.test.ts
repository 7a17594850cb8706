import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileVendor, displayOrder, loadModel, loadSpec, VENDORS } from '../spec.js';
import { loadStateModule } from './index.js';

describe('the vendors the sandbox serves', () => {
  it('are the @scrm-openapi/<vendor>-spec packages it depends on', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const specs = Object.keys(pkg.dependencies).filter((d) => d.endsWith('-spec'));
    expect(VENDORS.map((v) => `@scrm-openapi/${v}-spec`).sort()).toEqual(specs.sort());
    for (const v of VENDORS) expect(loadSpec(v)['x-scrm-vendor']).toBe(v);
  });

  it('are listed in the order their specs declare (info.x-scrm-display-order)', () => {
    const orders = VENDORS.map((v) => displayOrder(loadSpec(v)));
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
    expect(VENDORS[0]).toBe('wecom');
  });

  it('are compiled from the compiled model (profile.json), not from the raw x-scrm-* extensions of the spec', () => {
    for (const v of VENDORS) {
      const spec = loadSpec(v);
      const model = structuredClone(loadModel(v));
      // the model says otherwise than the spec: the sandbox must follow the model
      const [key, meta] = Object.entries(model.profile.operations)[0]!;
      (meta as { idempotent: boolean }).idempotent = !meta.idempotent;
      model.sandbox.parameterError = 987654;
      model.profile = { ...model.profile, envelope: { ...model.profile.envelope, message: 'model-message' } };
      const runtime = compileVendor(v, spec, model);
      expect(runtime.sandbox.parameterError).toBe(987654);
      expect(runtime.operations.find((o) => `${o.method} ${o.path}` === key)!.idempotent).toBe(meta.idempotent);
      expect(runtime.envelope.message).toBe('model-message');
    }
  }, 30_000); // compiles every vendor's validators

  it("refuses a compiled model that is missing an operation of the spec, or is another vendor's", () => {
    const [first, second] = VENDORS;
    const model = structuredClone(loadModel(first!));
    const [key] = Object.keys(model.profile.operations);
    delete (model.profile.operations as Record<string, unknown>)[key!];
    expect(() => compileVendor(first!, loadSpec(first!), model)).toThrow(/has no .* regenerate it/);
    expect(() => compileVendor(first!, loadSpec(first!), loadModel(second!))).toThrow(/is the profile of/);
  });

  it('refuses a spec that declares another vendor', () => {
    const [first, second] = VENDORS;
    expect(() => compileVendor(second!, loadSpec(first!))).toThrow(/declares x-scrm-vendor/);
  });

  it('loads the state module of every vendor that has one, by name, and none for a vendor without', async () => {
    const files = readdirSync(new URL('.', import.meta.url)).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts',
    );
    for (const f of files) expect(typeof (await loadStateModule(f.replace(/\.ts$/, '')))?.create, f).toBe('function');
    expect(await loadStateModule('no-such-vendor')).toBeUndefined();
    await expect(loadStateModule('../server')).rejects.toThrow(/not a vendor name/);
  });
});
