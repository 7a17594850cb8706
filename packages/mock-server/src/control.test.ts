// The control API refuses what it cannot use with HTTP 400 and a message naming the field (never 500, never a fault
// that does not expire); faults can be listed and cleared; the CLI answers a bad command line with its usage and 2.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCli, USAGE } from './cli-args.js';
import { startMockServer, type MockServer } from './index.js';

let sandbox: MockServer;
beforeAll(async () => {
  sandbox = await startMockServer({ vendors: ['wecom', 'jijyun'] });
});
afterAll(async () => {
  await sandbox.close();
});

const control = async (method: string, path: string, body?: string) => {
  const res = await fetch(`${sandbox.url}/_control/${path}`, { method, ...(body !== undefined ? { body } : {}) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

describe('/_control input', () => {
  it.each([
    ['invalid JSON', '{"kind": "busy",', /not valid JSON/],
    ['a JSON array', '["busy"]', /must be a JSON object/],
    ['a count that is a string', '{"kind": "busy", "count": "abc"}', /count: must be integer/],
    ['a count of zero', '{"kind": "busy", "count": 0}', /count: must be >= 1/],
    ['a fractional count', '{"kind": "busy", "count": 1.5}', /count: must be integer/],
    ['an unknown kind', '{"kind": "nope"}', /kind: must be one of busy, rate-limit/],
    ['no kind', '{"count": 2}', /kind: is required/],
    ['a vendor not served', '{"kind": "busy", "vendor": "weiling"}', /vendor: must be one of wecom, jijyun/],
    ['an unknown field', '{"kind": "busy", "cuont": 2}', /cuont: is not a known field/],
  ])('POST /_control/faults with %s: 400 naming the problem, nothing queued', async (_, body, message) => {
    const res = await control('POST', 'faults', body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(message);
    expect((await control('GET', 'faults')).body).toEqual({ faults: [] });
  });

  it('lists queued faults, counts them down as requests take them, and clears them', async () => {
    expect(await control('POST', 'faults', JSON.stringify({ kind: 'busy', vendor: 'jijyun', count: 2 }))).toEqual({
      status: 200,
      body: { queued: 1 },
    });
    sandbox.injectFault({ kind: 'http-500', vendor: 'wecom', operation: 'getCorpTagList' });
    expect((await control('GET', 'faults')).body.faults).toEqual([
      { vendor: 'jijyun', kind: 'busy', count: 2 },
      { vendor: 'wecom', operation: 'getCorpTagList', kind: 'http-500', count: 1 },
    ]);
    const check = `${sandbox.url}/jijyun/v1/openapi/check?apiKey=${sandbox.credentials.jijyun.apiKey}`;
    expect((await fetch(check)).status).toBe(503);
    expect(sandbox.faults()).toEqual([
      { vendor: 'jijyun', kind: 'busy', count: 1 },
      { vendor: 'wecom', operation: 'getCorpTagList', kind: 'http-500', count: 1 },
    ]);
    expect(await control('DELETE', 'faults')).toEqual({ status: 200, body: { cleared: 2 } });
    expect((await fetch(check)).status).toBe(200);
    sandbox.injectFault({ kind: 'busy' });
    expect(sandbox.clearFaults()).toBe(1);
    expect(sandbox.faults()).toEqual([]);
  });

  it('injectFault() refuses what the HTTP route refuses', () => {
    expect(() => sandbox.injectFault({ kind: 'busy', count: Number('abc') })).toThrow(/count: must be integer/);
    expect(() => sandbox.injectFault({ kind: 'nope' as never })).toThrow(/kind: must be one of/);
    expect(() => sandbox.injectFault({ kind: 'busy', count: -1 })).toThrow(/count: must be >= 1/);
    expect(sandbox.faults()).toEqual([]);
  });

  it('an action input of the wrong shape, or invalid JSON, is a 400; an unknown control path a JSON 404', async () => {
    expect(await control('POST', 'wecom/customers', '{"userid": 7}')).toEqual({
      status: 400,
      body: { error: 'invalid input of wecom/customers: userid: must be string' },
    });
    expect((await control('POST', 'wecom/customers', '{')).status).toBe(400);
    expect((await control('POST', 'wecom/customers-bulk', '{"count": "10"}')).status).toBe(400);
    const missing = await control('GET', 'nothing/here/at/all');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatch(/no such control endpoint/);
  });

  it('customers-bulk adds many customers to one member at once', async () => {
    const res = await control('POST', 'wecom/customers-bulk', JSON.stringify({ userid: 'wangwu', count: 500 }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ userid: 'wangwu', added: 500 });
    expect(res.body.followers).toBeGreaterThanOrEqual(500);
  });
});

describe('scrm-mock command line', () => {
  it.each([
    [['--nope'], /Unknown option '--nope'/],
    [['--port', 'abc'], /--port must be an integer/],
    [['--port', '70000'], /--port must be between 0 and 65535/],
    [['--seed', '1.5'], /--seed must be an integer/],
    [['--fault-rate', '2'], /--fault-rate must be a number from 0 to 1/],
    [['--fault-rate', 'x'], /--fault-rate must be a number/],
    [['--faults', 'busy,nope'], /--faults: unknown "nope"; choose from busy/],
    [['--vendors', 'wecom,acme'], /--vendors: unknown "acme"/],
    [['--token-ttl', '0'], /--token-ttl must be between 1/],
    [['--callback-url', 'localhost:1234'], /--callback-url must be an http\(s\) URL/],
    [['--time-scale', '10'], /--time-scale needs --rate-limits/],
    [['--rate-limits', '--time-scale', '0'], /--time-scale must be a number above 0/],
    [['stray'], /Unexpected argument 'stray'/],
    [['--validation', 'loose'], /--validation: unknown "loose"; choose from strict, lenient/],
  ])('%j is refused: %s', (argv, message) => {
    const result = parseCli(argv);
    expect('error' in result && result.error).toMatch(message);
  });

  it('accepts a good command line', () => {
    expect(parseCli(['--port', '0', '--faults', 'busy,html', '--fault-rate', '0.25', '--rate-limits', '--time-scale', '60'])).toEqual({
      options: {
        port: 0,
        host: '127.0.0.1',
        vendors: undefined,
        seed: 1,
        faults: { rate: 0.25, kinds: ['busy', 'html'] },
        tokenTtlSeconds: 7200,
        callbackUrl: undefined,
        validation: 'strict',
        rateLimits: { enforce: true, timeScale: 60 },
      },
    });
    expect(parseCli(['--validation', 'lenient'])).toMatchObject({ options: { validation: 'lenient' } });
  });

  it('the binary prints the message and its usage on stderr and exits 2', async () => {
    const bin = fileURLToPath(new URL('../bin/scrm-mock.js', import.meta.url));
    const child = spawn(process.execPath, [bin, '--faults', 'busy,nope'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('scrm-mock: --faults: unknown "nope"');
    expect(stderr).toContain(USAGE);
    expect(stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
  }, 20_000);
});
