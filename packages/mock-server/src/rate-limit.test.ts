// Rate limits on demand: the sandbox enforces each spec's x-scrm-rate-limits (time- and limit-scaled) and answers as
// the vendor does; a client whose throttle is configured from the same rules gets through a burst with no
// rate-limit answer, the same burst without the throttle is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWecomClient } from '@scrm-openapi/wecom';
import { scaleRules, startMockServer, type MockServer } from './index.js';

let sandbox: MockServer;
// WeCom's 10,000 a minute and 150,000 an hour per API become 10 per 60 ms (burst 1) and 150 per 3.6 s (burst 15)
// (250 ms of slack for a loaded test machine, where calls sent at once reach the sandbox tens of ms apart)
const SCALE = { timeScale: 1000, limitScale: 1000, slackMs: 250 };
beforeAll(async () => {
  sandbox = await startMockServer({ vendors: ['wecom'], rateLimits: SCALE });
});
afterAll(async () => {
  await sandbox.close();
});

const refused = () => Object.values(sandbox.stats().rateLimited).reduce((a, b) => a + b, 0);

describe('rate limits on demand', () => {
  it('scales the spec rules and exposes them for the client throttle', () => {
    expect(sandbox.rateLimits.wecom).toEqual([
      { scope: 'operation', limit: 10, intervalMs: 60, burst: 1 },
      { scope: 'operation', limit: 150, intervalMs: 3600, burst: 15 },
    ]);
    expect(scaleRules([{ scope: 'vendor', limit: 5, intervalMs: 1000 }], { limitScale: 100 })).toEqual([
      { scope: 'vendor', limit: 1, intervalMs: 1000, burst: 1 },
    ]);
    expect(() => scaleRules([], { timeScale: 0 })).toThrow(/timeScale/);
  });

  it('WeCom: a burst through the throttle gets no 45009; the same burst without it does', async () => {
    const calls = 40;
    const burst = (client: ReturnType<typeof createWecomClient>, n = calls) =>
      Promise.all(Array.from({ length: n }, () => client.POST('/cgi-bin/externalcontact/get_corp_tag_list', { body: {} })));

    const throttled = createWecomClient({
      ...sandbox.credentials.wecom,
      baseUrl: `${sandbox.url}/wecom`,
      retry: false,
      throttle: { rules: sandbox.rateLimits.wecom },
    });
    // the token first: the throttle reserves a call's slot before the token is fetched, so calls waiting for the
    // first token would leave together when it arrives
    await throttled.GET('/cgi-bin/externalcontact/get_follow_user_list');
    const before = refused();
    const started = performance.now();
    const answers = await burst(throttled);
    const elapsed = performance.now() - started;
    expect(answers.filter((a) => a.error).map((a) => a.error)).toEqual([]);
    expect(refused() - before).toBe(0);
    // 15 at once, then one every 24 ms: the throttle did wait
    expect(elapsed).toBeGreaterThanOrEqual((calls - 15) * 24 * 0.9);

    await new Promise((r) => setTimeout(r, 3700)); // let the scaled hour pass
    const unthrottled = createWecomClient({ ...sandbox.credentials.wecom, baseUrl: `${sandbox.url}/wecom`, retry: false, throttle: false });
    const raw = await burst(unthrottled, 60);
    const codes = raw.map((a) => (a.error as { errcode?: number } | undefined)?.errcode ?? 0);
    // 15 at once and the clock slack (about 10 calls' worth) pass; the rest are refused
    expect(codes.filter((c) => c === 45009).length).toBeGreaterThanOrEqual(10);
    expect(codes.filter((c) => c === 0).length).toBeGreaterThanOrEqual(1);
    expect(refused() - before).toBe(codes.filter((c) => c === 45009).length);
  }, 30_000);

  it("Juzibot's group-level host answers HTTP 429 with a plain-text body", async () => {
    // 500 per 30 s becomes 5 per 30 s, burst 1, no slack: of 5 calls at once, 1 passes
    const juzibot = await startMockServer({ vendors: ['juzibot'], rateLimits: { limitScale: 100, slackMs: 0 } });
    const url = `${juzibot.url}/juzibot/bot/list?token=${juzibot.credentials.juzibot.groupToken}`;
    const answers = await Promise.all(Array.from({ length: 5 }, () => fetch(url)));
    const limited = answers.filter((r) => r.status === 429);
    expect(limited.length).toBe(4);
    expect(limited[0]!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited[0]!.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await limited[0]!.text()).toBe('Too Many Requests');
    // an operation outside the group (the enterprise host) has no limit to enforce
    const other = await Promise.all(
      Array.from({ length: 5 }, () => fetch(`${juzibot.url}/juzibot/api/v1/customer/list?token=${juzibot.credentials.juzibot.token}`)),
    );
    expect(other.map((r) => r.status)).not.toContain(429);
    expect(juzibot.stats().rateLimited).toEqual({ 'juzibot.groupBotList': 4 });
    await juzibot.close();
  });

  it('without the option nothing is enforced', async () => {
    const free = await startMockServer({ vendors: ['juzibot'] });
    try {
      const url = `${free.url}/juzibot/bot/list?token=${free.credentials.juzibot.groupToken}`;
      const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(url)));
      expect(answers.map((r) => r.status)).not.toContain(429);
      expect(free.rateLimits.juzibot).toEqual([{ scope: 'group', group: 'group-level', limit: 500, intervalMs: 30_000, burst: 50 }]);
    } finally {
      await free.close();
    }
  });
});
