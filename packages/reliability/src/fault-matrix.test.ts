// The fault matrix: every fault the sandbox can produce × {read, idempotent write, non-idempotent write}, each cell
// with its expected outcome, and the sandbox's side-effect counter proving that no write was applied twice. A real
// TCP reset (RST, ECONNRESET through real fetch) gets the same three columns from a loopback proxy in front of the
// sandbox. The secret sweep runs over everything the matrix and the callback suite expose.
import { connect, createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJuzibotClient } from '@scrm-openapi/juzibot';
import { createJuzibotCallback } from '@scrm-openapi/juzibot/callback';
import { startMockServer, type FaultKind, type MockServer } from '@scrm-openapi/mock-server';
import { createWecomClient, unwrap } from '@scrm-openapi/wecom';
import { createWecomCallback, createWecomCallbackSigner } from '@scrm-openapi/wecom/callback';
import type { ScrmEvent } from '@scrm-openapi/core';
import { SecretSweep } from './sweep.js';

type Outcome = 'success' | `throws ${string}` | `returns ${string}`;
interface Cell {
  outcome: Outcome;
  /** Writes applied by the sandbox for this one logical call. */
  applied?: number;
}

const READ = { vendor: 'wecom', operation: 'getContactWay' } as const;
const IDEMPOTENT_WRITE = { vendor: 'juzibot', operation: 'messageSend' } as const;
const WRITE = { vendor: 'wecom', operation: 'addContactWay' } as const;

// expected behaviour of the runtime, per fault (rows) and kind of call (columns)
const MATRIX: Record<string, { fault: FaultKind; read: Cell; idempotentWrite: Cell; write: Cell }> = {
  'HTTP 5xx': {
    fault: 'http-500',
    read: { outcome: 'success' },
    idempotentWrite: { outcome: 'success', applied: 1 },
    write: { outcome: 'throws ScrmHttpError', applied: 0 },
  },
  '429 with Retry-After': {
    fault: 'http-429',
    read: { outcome: 'success' },
    idempotentWrite: { outcome: 'success', applied: 1 },
    write: { outcome: 'throws ScrmHttpError', applied: 0 },
  },
  timeout: {
    fault: 'timeout',
    read: { outcome: 'success' },
    idempotentWrite: { outcome: 'success', applied: 1 },
    write: { outcome: 'throws ScrmTimeoutError', applied: 0 },
  },
  'connection reset (after the write was applied)': {
    fault: 'reset-after',
    read: { outcome: 'success' },
    idempotentWrite: { outcome: 'success', applied: 1 },
    write: { outcome: 'throws ScrmNetworkError', applied: 1 },
  },
  'malformed JSON': {
    fault: 'malformed',
    read: { outcome: 'success' },
    idempotentWrite: { outcome: 'success', applied: 1 },
    write: { outcome: 'throws ScrmParseError', applied: 0 },
  },
  'HTML error page': {
    fault: 'html',
    read: { outcome: 'success' },
    idempotentWrite: { outcome: 'success', applied: 1 },
    write: { outcome: 'throws ScrmParseError', applied: 0 },
  },
  'busy (-1 / 503)': {
    fault: 'busy',
    read: { outcome: 'success' },
    idempotentWrite: { outcome: 'success', applied: 1 },
    write: { outcome: 'returns errcode -1', applied: 0 },
  },
  'rate limit (45009 / 429)': {
    fault: 'rate-limit',
    read: { outcome: 'success' },
    idempotentWrite: { outcome: 'success', applied: 1 },
    write: { outcome: 'returns errcode 45009', applied: 0 },
  },
  'token expired mid-run': {
    fault: 'token-expired',
    read: { outcome: 'success' },
    idempotentWrite: { outcome: 'throws ScrmHttpError', applied: 0 },
    write: { outcome: 'success', applied: 1 },
  },
};

let sandbox: MockServer;
const sweep = new SecretSweep();
let wecom: ReturnType<typeof createWecomClient>;
let juzibot: ReturnType<typeof createJuzibotClient>;

/** A fetch that remembers every credential it sends (tokens issued at run time), for the sweep. */
const recordingFetch: typeof fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  sweep.add(url.searchParams.get('access_token') ?? undefined, url.searchParams.get('token') ?? undefined);
  return fetch(input, init);
};

beforeAll(async () => {
  sandbox = await startMockServer({ timeoutFaultMs: 3000 });
  sweep.add(...Object.values(sandbox.credentials).flatMap((c) => Object.values(c as Record<string, string>)));
  const common = {
    fetch: recordingFetch,
    timeoutMs: 400,
    retry: { baseDelayMs: 5, maxDelayMs: 50, throttleDelayMs: 20 },
    logger: sweep.logger(),
    onEvent: sweep.onEvent,
  };
  wecom = createWecomClient({ ...sandbox.credentials.wecom, baseUrl: `${sandbox.url}/wecom`, ...common });
  juzibot = createJuzibotClient({ ...sandbox.credentials.juzibot, baseUrl: `${sandbox.url}/juzibot`, ...common });
});
afterAll(() => sandbox?.close());

async function outcomeOf(call: () => Promise<{ data?: unknown; error?: unknown }>): Promise<Outcome> {
  try {
    const { error } = await call();
    if (error === undefined) return 'success';
    const e = error as { errcode?: number; code?: number };
    return `returns errcode ${e.errcode ?? e.code}`;
  } catch (error) {
    sweep.error(error);
    return `throws ${(error as Error).name}`;
  }
}

const applied = (key: string) => sandbox.stats().applied[key] ?? 0;

const calls = {
  read: () => wecom.POST('/cgi-bin/externalcontact/get_contact_way', { body: { config_id: '42b34949e138eb6e027c123cba77fAAA' } }),
  idempotentWrite: () =>
    juzibot.POST('/api/v2/message/send', {
      body: { imBotId: '1688853462929494', imContactId: '7881301204958266', messageType: 7, payload: { text: '故障矩阵' } } as never,
    }),
  write: () => wecom.POST('/cgi-bin/externalcontact/add_contact_way', { body: { type: 1, scene: 2, user: ['zhangsan'] } }),
};
const targets = { read: READ, idempotentWrite: IDEMPOTENT_WRITE, write: WRITE };

describe('fault matrix', () => {
  for (const [row, spec] of Object.entries(MATRIX)) {
    for (const column of ['read', 'idempotentWrite', 'write'] as const) {
      const expected = spec[column];
      it(`${row} × ${column}: ${expected.outcome}${expected.applied !== undefined ? `, applied ${expected.applied}×` : ''}`, async () => {
        const target = targets[column];
        const key = `${target.vendor}.${target.operation}`;
        const before = applied(key);
        sandbox.injectFault({ vendor: target.vendor, operation: target.operation, kind: spec.fault, count: 1 });
        expect(await outcomeOf(calls[column])).toBe(expected.outcome);
        if (expected.applied !== undefined) expect(applied(key) - before).toBe(expected.applied);
        // never applied twice, whatever happened
        expect(applied(key) - before).toBeLessThanOrEqual(1);
      });
    }
  }
});

/**
 * A loopback TCP proxy in front of the sandbox that answers an armed request with a real TCP reset (RST, via
 * `socket.resetAndDestroy()`), once it has read the whole request: `before` forwarding it (the sandbox never sees
 * it), or `after` the sandbox processed and answered it (the answer is lost). One request per connection: each
 * forwarded request is sent with `connection: close`, so the client opens a fresh connection for the next one.
 */
interface ResetProxy {
  url: string;
  /** Resets the next request whose target contains `match`. */
  arm(match: string, when: 'before' | 'after'): void;
  /** How many requests whose target contains `match` the proxy has read. */
  received(match: string): number;
  close(): Promise<void>;
}

async function startResetProxy(upstream: string): Promise<ResetProxy> {
  const { hostname, port } = new URL(upstream);
  const armed: { match: string; when: 'before' | 'after' }[] = [];
  const targets: string[] = [];
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    return socket;
  };
  const server = createServer((client) => {
    track(client);
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffered.subarray(0, end).toString('latin1');
      if (/\r\ntransfer-encoding:/i.test(head)) throw new Error('the reset proxy reads content-length bodies only');
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (buffered.length < end + 4 + length) return;
      client.off('data', onData);
      const target = head.slice(0, head.indexOf('\r\n')).split(' ')[1] ?? '';
      targets.push(target);
      const i = armed.findIndex((a) => target.includes(a.match));
      const when = i >= 0 ? armed.splice(i, 1)[0]!.when : undefined;
      if (when === 'before') {
        client.resetAndDestroy();
        return;
      }
      const request = Buffer.concat([
        Buffer.from(`${head.replace(/\r\nconnection:[^\r]*/gi, '')}\r\nconnection: close\r\n\r\n`, 'latin1'),
        buffered.subarray(end + 4, end + 4 + length),
      ]);
      const up = track(connect(Number(port), hostname));
      up.on('error', () => client.destroy());
      if (when === 'after') {
        up.resume();
        up.on('end', () => client.resetAndDestroy());
      } else {
        up.pipe(client);
      }
      up.write(request);
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    arm: (match, when) => void armed.push({ match, when }),
    received: (match) => targets.filter((t) => t.includes(match)).length,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('a real TCP reset (ECONNRESET through real fetch)', () => {
  interface ResetCell extends Cell {
    /** Requests of this one logical call that reached the proxy (attempts). */
    attempts: number;
  }
  // A reset gives the client no answer: a read and an idempotent write are retried; a non-idempotent write is not
  // (ECONNRESET does not prove the request never arrived), whether or not the server had applied it.
  const RESETS: Record<string, { when: 'before' | 'after'; read: ResetCell; idempotentWrite: ResetCell; write: ResetCell }> = {
    'reset once the request was read, before the sandbox saw it': {
      when: 'before',
      read: { outcome: 'success', attempts: 2 },
      idempotentWrite: { outcome: 'success', applied: 1, attempts: 2 },
      write: { outcome: 'throws ScrmNetworkError', applied: 0, attempts: 1 },
    },
    'reset after the sandbox applied the request': {
      when: 'after',
      read: { outcome: 'success', attempts: 2 },
      idempotentWrite: { outcome: 'success', applied: 1, attempts: 2 },
      write: { outcome: 'throws ScrmNetworkError', applied: 1, attempts: 1 },
    },
  };
  const paths = { read: '/get_contact_way', idempotentWrite: '/message/send', write: '/add_contact_way' };
  let proxy: ResetProxy;
  let viaProxy: typeof calls;
  const errors: unknown[] = [];
  /** Why each retry of the clients behind the proxy happened. */
  let retryReasons: string[] = [];
  const onEvent = (event: ScrmEvent) => {
    sweep.onEvent(event);
    if (event.type === 'retry') retryReasons.push(event.reason);
  };

  beforeAll(async () => {
    proxy = await startResetProxy(sandbox.url);
    const common = {
      fetch: recordingFetch,
      timeoutMs: 2000,
      retry: { baseDelayMs: 5, maxDelayMs: 50, throttleDelayMs: 20 },
      logger: sweep.logger(),
      onEvent,
    };
    const w = createWecomClient({ ...sandbox.credentials.wecom, baseUrl: `${proxy.url}/wecom`, ...common });
    const j = createJuzibotClient({ ...sandbox.credentials.juzibot, baseUrl: `${proxy.url}/juzibot`, ...common });
    viaProxy = {
      read: () => w.POST('/cgi-bin/externalcontact/get_contact_way', { body: { config_id: '42b34949e138eb6e027c123cba77fAAA' } }),
      idempotentWrite: () =>
        j.POST('/api/v2/message/send', {
          body: { imBotId: '1688853462929494', imContactId: '7881301204958266', messageType: 7, payload: { text: '真实重置' } } as never,
        }),
      write: () => w.POST('/cgi-bin/externalcontact/add_contact_way', { body: { type: 1, scene: 2, user: ['zhangsan'] } }),
    };
    unwrap(await viaProxy.read()); // the token fetched before any reset is armed
  });
  afterAll(() => proxy?.close());

  for (const [row, spec] of Object.entries(RESETS)) {
    for (const column of ['read', 'idempotentWrite', 'write'] as const) {
      const expected = spec[column];
      it(`${row} × ${column}: ${expected.outcome}${expected.applied !== undefined ? `, applied ${expected.applied}×` : ''}, ${expected.attempts} attempt(s)`, async () => {
        const target = targets[column];
        const key = `${target.vendor}.${target.operation}`;
        const before = applied(key);
        const sent = proxy.received(paths[column]);
        proxy.arm(paths[column], spec.when);
        retryReasons = [];
        let thrown: unknown;
        const outcome = await outcomeOf(() =>
          viaProxy[column]().catch((e: unknown) => {
            thrown = e;
            throw e;
          }),
        );
        expect(outcome).toBe(expected.outcome);
        expect(proxy.received(paths[column]) - sent).toBe(expected.attempts);
        // each retry was for the reset the client saw
        expect(retryReasons).toEqual(Array(expected.attempts - 1).fill('network ECONNRESET'));
        if (expected.applied !== undefined) expect(applied(key) - before).toBe(expected.applied);
        expect(applied(key) - before).toBeLessThanOrEqual(1);
        if (thrown) {
          // a real reset, not undici's "other side closed"; and nothing claims the request was never sent
          expect(thrown).toMatchObject({ code: 'ECONNRESET', requestNotSent: false, retryable: false, attempts: 1 });
          errors.push(thrown);
        }
      });
    }
  }

  it('the non-idempotent writes saw ECONNRESET itself, in both rows', () => {
    expect(errors.map((e) => (e as { code?: string }).code)).toEqual(['ECONNRESET', 'ECONNRESET']);
  });
});

describe('secret sweep', () => {
  it('runs the callback suite: tampered and replayed callbacks', async () => {
    const config = { token: 'sweepCallbackToken', encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', receiveId: 'wwsweep0001' };
    sweep.add(config.token, config.encodingAESKey);
    const signer = createWecomCallbackSigner(config);
    const receiver = createWecomCallback(config);
    const event = {
      ToUserName: 'wwsweep0001',
      FromUserName: 'sys',
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'event',
      Event: 'change_external_contact',
      ChangeType: 'add_external_contact',
      UserID: 'zhangsan',
      ExternalUserID: 'wm1',
    };
    const { query, body } = signer.event(event);
    await receiver.parse(query, body);
    for (const attempt of [
      () => receiver.parse(query, body),
      () => receiver.parse({ ...query, msg_signature: '0'.repeat(40) }, body),
      () => createWecomCallback({ ...config, receiveId: 'other' }).parse(query, body),
      () => receiver.parse({}, body),
      () => receiver.parse(query, `<xml><Encrypt>${config.encodingAESKey}</Encrypt></xml>`),
    ]) {
      await attempt().catch((e: unknown) => sweep.error(e));
    }
    const juzibotReceiver = createJuzibotCallback({ token: sandbox.credentials.juzibot.token });
    await juzibotReceiver
      .parse('message', JSON.stringify({ token: 'someone-else', messageId: 'm1' }))
      .catch((e: unknown) => sweep.error(e));
  });

  it('finds no credential in any error message, stack, property, log line or event of the matrix and the callbacks', () => {
    expect(sweep.texts.length).toBeGreaterThan(100);
    expect(sweep.leaks()).toEqual([]);
  });
});

void unwrap;
