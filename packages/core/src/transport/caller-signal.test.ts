// In a file of its own (Node warns about too many listeners once per process and signal): one caller signal used
// for call after call, as an app does with a shutdown signal, must not collect an abort listener per call.
import { describe, expect, it } from 'vitest';
import { delay } from '../testing.js';
import { acmeClient, fakeAcme, LIST, ok } from '../test-support.js';

describe('a caller signal shared by many calls', () => {
  it('keeps no listener from a finished call: 20 calls in a row, no "possible memory leak" warning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      const api = acmeClient(fakeAcme(() => ok()).fetch);
      const shutdown = new AbortController();
      for (let i = 0; i < 20; i++) expect((await api.GET(LIST, { signal: shutdown.signal })).data).toEqual(ok());
      await delay(10); // warnings are emitted on a later tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.includes('MaxListeners'))).toEqual([]);
  });
});
