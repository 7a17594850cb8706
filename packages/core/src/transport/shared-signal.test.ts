// In a file of its own (Node warns about too many listeners once per process and signal): one caller signal shared
// by a thousand calls in flight at once — a request-scoped or shutdown signal handed to every call — must not print
// a MaxListenersExceededWarning, and aborting it must still stop every one of them.
import { describe, expect, it } from 'vitest';
import { delay } from '../testing.js';
import { acmeClient, fakeAcme, LIST, ok } from '../test-support.js';

const CALLS = 1000;

describe('one signal shared by many calls in flight', () => {
  it(`runs ${CALLS} concurrent calls on one signal without a MaxListenersExceededWarning`, async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      const acme = fakeAcme(async () => {
        await delay(20);
        return ok();
      });
      const api = acmeClient(acme.fetch);
      const shared = new AbortController();
      const results = await Promise.all(Array.from({ length: CALLS }, () => api.GET(LIST, { signal: shared.signal })));
      expect(results.every((r) => r.error === undefined)).toBe(true);
      await delay(10); // warnings are emitted on a later tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.includes('MaxListeners'))).toEqual([]);
  });

  it(`aborting the shared signal stops all ${CALLS} calls, each with the signal's reason`, async () => {
    const acme = fakeAcme(async (call) => {
      await delay(60_000, call.signal);
      return ok();
    });
    const api = acmeClient(acme.fetch);
    const shared = new AbortController();
    const calls = Array.from({ length: CALLS }, () =>
      api.GET(LIST, { signal: shared.signal }).then(
        () => 'finished',
        (e: unknown) => e,
      ),
    );
    await delay(20);
    const reason = new Error('shutting down');
    shared.abort(reason);
    const outcomes = await Promise.all(calls);
    expect(outcomes.filter((o) => o === reason)).toHaveLength(CALLS);
  });
});
