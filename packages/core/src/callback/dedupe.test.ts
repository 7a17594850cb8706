// The in-memory dedupe store: a key is a repeat for exactly its ttl, and beyond `maxKeys` expired keys go first,
// then the oldest insertions — never a key that is still fresh while an expired one is kept.
import { describe, expect, it } from 'vitest';
import { MemoryDedupeStore } from './dedupe.js';

function clockedStore(maxKeys?: number) {
  const clock = { now: 0 };
  const store = new MemoryDedupeStore({ now: () => clock.now, ...(maxKeys === undefined ? {} : { maxKeys }) });
  return { clock, store };
}

describe('MemoryDedupeStore expiry', () => {
  it('remembers a key for its ttl in seconds, up to the last millisecond, and forgets it exactly then', async () => {
    const { clock, store } = clockedStore();
    expect(await store.checkAndSet('k', 10)).toBe(true);
    clock.now = 9_999;
    expect(await store.checkAndSet('k', 10)).toBe(false);
    clock.now = 10_000;
    expect(await store.checkAndSet('k', 10)).toBe(true);
    // recorded afresh from that moment
    clock.now = 19_999;
    expect(await store.checkAndSet('k', 10)).toBe(false);
  });

  it('keeps keys apart', async () => {
    const { store } = clockedStore();
    expect(await store.checkAndSet('a', 60)).toBe(true);
    expect(await store.checkAndSet('b', 60)).toBe(true);
    expect(await store.checkAndSet('a', 60)).toBe(false);
  });

  it('uses the real clock by default', async () => {
    const store = new MemoryDedupeStore();
    expect(await store.checkAndSet('k', 1)).toBe(true);
    expect(await store.checkAndSet('k', 1)).toBe(false);
  });
});

describe('MemoryDedupeStore bound (maxKeys)', () => {
  it('holds exactly maxKeys keys before dropping any', async () => {
    const { store } = clockedStore(3);
    for (const k of ['a', 'b', 'c']) expect(await store.checkAndSet(k, 60)).toBe(true);
    for (const k of ['a', 'b', 'c']) expect(await store.checkAndSet(k, 60), k).toBe(false);
  });

  it('drops only the oldest insertion when one key too many arrives', async () => {
    const { store } = clockedStore(3);
    for (const k of ['a', 'b', 'c', 'd']) await store.checkAndSet(k, 60);
    for (const k of ['b', 'c', 'd']) expect(await store.checkAndSet(k, 60), k).toBe(false);
    expect(await store.checkAndSet('a', 60)).toBe(true);
  });

  it('drops expired keys (expiring this very millisecond included) before any fresh one, oldest or not', async () => {
    const { clock, store } = clockedStore(2);
    await store.checkAndSet('fresh', 100); // oldest, until 100 000
    await store.checkAndSet('short', 1); // until 1 000
    clock.now = 1_000;
    expect(await store.checkAndSet('new', 100)).toBe(true); // one too many: 'short' has expired and goes
    expect(await store.checkAndSet('fresh', 100)).toBe(false);
    expect(await store.checkAndSet('new', 100)).toBe(false);
  });

  it('counts a key recorded again after expiry as the newest insertion', async () => {
    const { clock, store } = clockedStore(2);
    await store.checkAndSet('a', 1);
    await store.checkAndSet('b', 100);
    clock.now = 1_000;
    expect(await store.checkAndSet('a', 100)).toBe(true); // expired, recorded afresh: now newer than 'b'
    await store.checkAndSet('c', 100); // one too many: the oldest is 'b'
    expect(await store.checkAndSet('a', 100)).toBe(false);
    expect(await store.checkAndSet('c', 100)).toBe(false);
    expect(await store.checkAndSet('b', 100)).toBe(true);
  });
});
