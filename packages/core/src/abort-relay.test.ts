import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { onAbort } from './abort-relay.js';
import { sleep } from './retry.js';

describe('abort relay', () => {
  it('puts one listener on a signal however many subscribe, and removes it when the last one leaves', () => {
    const controller = new AbortController();
    const stops = Array.from({ length: 100 }, () => onAbort(controller.signal, () => {}));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    for (const stop of stops.slice(1)) stop();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    stops[0]!();
    stops[0]!(); // twice is harmless
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    // a new subscriber after that listens again
    let fired = 0;
    onAbort(controller.signal, () => fired++);
    controller.abort();
    expect(fired).toBe(1);
  });

  it('relays an abort to every subscriber still listening, once each', () => {
    const controller = new AbortController();
    const fired: number[] = [];
    const stops = [0, 1, 2, 3].map((n) => onAbort(controller.signal, () => fired.push(n)));
    stops[2]!();
    controller.abort();
    controller.abort();
    expect(fired).toEqual([0, 1, 3]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('lets 1,000 backoff waits share one signal through one listener, and rejects them all on abort', async () => {
    const controller = new AbortController();
    const waits = Array.from({ length: 1000 }, () => sleep(60_000, controller.signal).catch((e: unknown) => e));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    const reason = new Error('stop');
    controller.abort(reason);
    expect((await Promise.all(waits)).every((e) => e === reason)).toBe(true);
  });
});
