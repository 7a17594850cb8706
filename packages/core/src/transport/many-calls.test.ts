// In a file of its own: Node warns about too many listeners only once per signal, so an earlier test with many
// concurrent calls in the same module graph would hide the warning from this one.
import { describe, expect, it } from 'vitest';
import { delay } from '../testing.js';
import { acmeClient, fakeAcme, LIST, ok } from '../test-support.js';

describe('many calls at once', () => {
  it('runs 30 concurrent calls without a "possible memory leak" warning about abort listeners', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      const acme = fakeAcme(async () => {
        await delay(5);
        return ok();
      });
      const api = acmeClient(acme.fetch);
      await Promise.all(Array.from({ length: 30 }, () => api.GET(LIST)));
      await delay(10); // warnings are emitted on a later tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.includes('MaxListeners'))).toEqual([]);
  });
});
