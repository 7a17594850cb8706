// createWecomProvider takes the suite ticket's lifetime and the install page from the compiled profile
// (x-scrm-tokens.suite.ticket, .installPage), not from constants of its own: this file swaps the profile's suite kind
// for one that says something else (or nothing) and shows the provider follows it, and that the options still win.
import type { TokenKind } from '@scrm-openapi/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createWecomProvider,
  MemoryPermanentCodeStore,
  MemorySuiteTicketStore,
  ScrmConfigError,
  type WecomProviderOptions,
} from './index.js';
import { fakeProviderWecom, SUITE_ID, SUITE_SECRET } from './test-support.js';

/** How the current test changes the compiled suite kind (undefined: the profile as generated). */
const swap = vi.hoisted(() => ({ suite: undefined as ((kind: TokenKind) => TokenKind) | undefined }));

vi.mock('./generated/profile.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('./generated/profile.js')>();
  const profile = { ...real.profile };
  Object.defineProperty(profile, 'tokens', {
    enumerable: true,
    get: () => {
      const tokens = real.profile.tokens ?? {};
      return swap.suite && tokens.suite ? { ...tokens, suite: swap.suite(tokens.suite) } : tokens;
    },
  });
  return { ...real, profile };
});

afterEach(() => {
  swap.suite = undefined;
});

function setup(extra: Partial<WecomProviderOptions> = {}) {
  const wecom = fakeProviderWecom();
  const suiteTicketStore = new MemorySuiteTicketStore();
  const provider = createWecomProvider({
    suiteId: SUITE_ID,
    suiteSecret: SUITE_SECRET,
    permanentCodeStore: new MemoryPermanentCodeStore(),
    suiteTicketStore,
    fetch: wecom.fetch,
    retry: { baseDelayMs: 1, maxDelayMs: 4 },
    ...extra,
  });
  return { wecom, provider, suiteTicketStore };
}

const REDIRECT = 'https://app.example.com/wecom/installed';
const withTicket = (ticket: TokenKind['ticket']) => (kind: TokenKind) => ({ ...kind, ticket });
const withInstallPage = (installPage: TokenKind['installPage']) => (kind: TokenKind) => ({ ...kind, installPage });

describe("the suite ticket's lifetime", () => {
  it('is the one the profile declares: with 60 s, a ticket pushed 61 s ago is expired and one pushed 59 s ago is used', async () => {
    swap.suite = (kind) => withTicket({ ...kind.ticket!, ttlSeconds: 60, intervalSeconds: 30 })(kind);
    const { wecom, provider, suiteTicketStore } = setup();
    wecom.issueTicket('TICKET-1');
    const pushed = Date.now() - 61_000;
    await provider.saveSuiteTicket('TICKET-1', pushed);
    expect((await suiteTicketStore.get(SUITE_ID))?.expiresAt).toBe(pushed + 60_000);
    await expect(provider.installUrl({ redirectUri: REDIRECT })).rejects.toMatchObject({ name: 'ScrmTicketError', reason: 'expired' });
    await provider.saveSuiteTicket('TICKET-1', Date.now() - 59_000);
    await expect(provider.installUrl({ redirectUri: REDIRECT })).resolves.toMatch(/pre_auth_code=PRE-AUTH-/);
  });

  it("is the generated profile's by default (1800 s for WeCom), and suiteTicketTtlSeconds still overrides it", async () => {
    const generated = setup();
    const pushed = Date.now() - 1_000;
    await generated.provider.saveSuiteTicket('TICKET-1', pushed);
    expect((await generated.suiteTicketStore.get(SUITE_ID))?.expiresAt).toBe(pushed + 1_800_000);

    swap.suite = (kind) => withTicket({ ...kind.ticket!, ttlSeconds: 60, intervalSeconds: 30 })(kind);
    const overridden = setup({ suiteTicketTtlSeconds: 300 });
    await overridden.provider.saveSuiteTicket('TICKET-1', pushed);
    expect((await overridden.suiteTicketStore.get(SUITE_ID))?.expiresAt).toBe(pushed + 300_000);
  });

  it('is a ScrmConfigError at creation when the profile declares none and no option gives it', async () => {
    swap.suite = withTicket(undefined);
    expect(() => setup()).toThrow(ScrmConfigError);
    expect(() => setup()).toThrow(/x-scrm-tokens\.suite\.ticket\.ttlSeconds.*suiteTicketTtlSeconds/);
    const { provider, suiteTicketStore } = setup({ suiteTicketTtlSeconds: 120 });
    const pushed = Date.now() - 1_000;
    await provider.saveSuiteTicket('TICKET-1', pushed);
    expect((await suiteTicketStore.get(SUITE_ID))?.expiresAt).toBe(pushed + 120_000);
    expect(() => setup({ suiteTicketTtlSeconds: 0 })).toThrow(/suiteTicketTtlSeconds must be a positive number/);
  });
});

describe('the install link', () => {
  const page = {
    url: 'https://install.example.invalid/authorize',
    query: { app: 'suiteId', code: 'preAuthCode', back: 'redirectUri', s: 'state' },
  };

  it('is built on the page and with the query names the profile declares', async () => {
    swap.suite = withInstallPage(page);
    const { wecom, provider } = setup();
    wecom.issueTicket('TICKET-1');
    await provider.saveSuiteTicket('TICKET-1');
    const link = new URL(await provider.installUrl({ redirectUri: REDIRECT, state: 'user-42' }));
    expect(`${link.origin}${link.pathname}`).toBe(page.url);
    expect([...link.searchParams]).toEqual([
      ['app', SUITE_ID],
      ['code', expect.stringMatching(/^PRE-AUTH-/)],
      ['back', REDIRECT],
      ['s', 'user-42'],
    ]);
    // without a state the parameter is left out; installPageUrl moves the page and keeps the profile's query
    const moved = setup({ installPageUrl: 'https://mirror.example.invalid/install' });
    moved.wecom.issueTicket('TICKET-2');
    await moved.provider.saveSuiteTicket('TICKET-2');
    const other = new URL(await moved.provider.installUrl({ redirectUri: REDIRECT }));
    expect(`${other.origin}${other.pathname}`).toBe('https://mirror.example.invalid/install');
    expect([...other.searchParams.keys()]).toEqual(['app', 'code', 'back']);
  });

  it('is a ScrmConfigError, before any request, when the profile declares no install page (even with installPageUrl)', async () => {
    swap.suite = withInstallPage(undefined);
    for (const extra of [{}, { installPageUrl: 'https://mirror.example.invalid/install' }]) {
      const { wecom, provider } = setup(extra);
      wecom.issueTicket('TICKET-1');
      await provider.saveSuiteTicket('TICKET-1');
      const error = await provider.installUrl({ redirectUri: REDIRECT }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ScrmConfigError);
      expect(error).toMatchObject({ message: expect.stringMatching(/x-scrm-tokens\.suite\.installPage/) });
      expect(wecom.fetch.calls).toEqual([]);
    }
  });

  it('is a ScrmConfigError, before any request, when the profile names a value installUrl() does not supply', async () => {
    swap.suite = withInstallPage({ ...page, query: { ...page.query, lang: 'language' } });
    const { wecom, provider } = setup();
    await expect(provider.installUrl({ redirectUri: REDIRECT })).rejects.toThrow(/install page takes language/);
    expect(wecom.fetch.calls).toEqual([]);
  });
});
