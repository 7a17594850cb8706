import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('the public surface', () => {
  it('exports at most 20 runtime values from the root (each one is semver-stable from 1.0)', async () => {
    const names = Object.keys(await import('./index.js')).sort();
    expect(names.length).toBeLessThanOrEqual(20);
    expect(names).toEqual([
      'MemoryDedupeStore',
      'MemoryThrottleStore',
      'MemoryTokenStore',
      'ScrmApiError',
      'ScrmAuthorizationError',
      'ScrmCallbackError',
      'ScrmConfigError',
      'ScrmError',
      'ScrmErrorCause',
      'ScrmHttpError',
      'ScrmNetworkError',
      'ScrmPaginationError',
      'ScrmParseError',
      'ScrmTicketError',
      'ScrmTimeoutError',
      'isScrmError',
      'unwrap',
    ]);
  });

  it('keeps the building blocks of the vendor packages under ./internal, which says it is unstable', async () => {
    const internal = await import('./internal.js');
    expect(typeof internal.createScrmClient).toBe('function');
    expect(typeof internal.WxBizMsgCrypt).toBe('function');
    const root: Record<string, unknown> = await import('./index.js');
    for (const name of Object.keys(internal)) expect(root[name], name).toBeUndefined();
    expect(readFileSync(new URL('./internal.ts', import.meta.url), 'utf8')).toMatch(/INTERNAL AND UNSTABLE[\s\S]*不稳定/);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    for (const format of ['import', 'require']) expect(Object.keys(pkg.exports['./internal'][format])).toEqual(['types', 'default']);
  });
});
