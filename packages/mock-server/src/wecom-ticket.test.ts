// The sandbox's suite tickets follow the spec's token kind (x-scrm-tokens.suite.ticket, compiled into the profile):
// how long each is accepted and how often one is pushed (in the webhook and field the kind names, which
// wecom-provider.test.ts receives); x-scrm-sandbox.provider overrides the lifetime and the interval for the sandbox alone. Served here from copies of the compiled wecom model
// whose suite kind says something else.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from './index.js';

type Json = Record<string, any>;

const requireHere = createRequire(import.meta.url);
const openapi = requireHere.resolve('@scrm-openapi/wecom-spec/openapi.json');
const compiled = JSON.parse(await readFile(requireHere.resolve('@scrm-openapi/wecom-spec/profile.json'), 'utf8')) as Json;

let scratch: string;
let server: MockServer | undefined;
let receiver: Server | undefined;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'scrm-wecom-ticket-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
  receiver = undefined;
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Serves wecom from a copy of its compiled model changed by `edit`. */
async function serve(edit: (model: Json) => void, options: Parameters<typeof startMockServer>[0] = {}): Promise<MockServer> {
  const model = structuredClone(compiled);
  edit(model);
  const file = path.join(scratch, `profile-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify(model));
  server = await startMockServer({ vendors: [], extraSpecs: [{ openapi, profile: file }], ...options });
  return server;
}

/** A suite token for a ticket, or WeCom's refusal. */
async function suiteToken(sandbox: MockServer, ticket: string): Promise<Json> {
  const { suiteId, suiteSecret } = sandbox.providers.wecom!.credentials;
  const res = await fetch(`${sandbox.url}/wecom/cgi-bin/service/get_suite_token`, {
    method: 'POST',
    body: JSON.stringify({ suite_id: suiteId, suite_secret: suiteSecret, suite_ticket: ticket }),
  });
  return (await res.json()) as Json;
}

/** An instruction-callback URL that counts what it receives. */
async function countingReceiver(): Promise<{ url: string; count: () => number }> {
  let n = 0;
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      n++;
      res.end('success');
    });
  });
  await new Promise<void>((r) => receiver!.listen(0, '127.0.0.1', r));
  const address = receiver.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/suite`, count: () => n };
}

describe("the sandbox's suite tickets", () => {
  it('are declared once, in x-scrm-tokens.suite.ticket (the sandbox facts do not repeat them)', () => {
    expect(compiled.profile.tokens.suite.ticket).toMatchObject({ ttlSeconds: 1800, intervalSeconds: 600 });
    expect(compiled.sandbox.provider).not.toHaveProperty('ticketTtlSeconds');
    expect(compiled.sandbox.provider).not.toHaveProperty('ticketIntervalSeconds');
  });

  it("live as long as the spec's kind says: 1 s, then the ticket is refused", async () => {
    const sandbox = await serve((m) => {
      m.profile.tokens.suite.ticket.ttlSeconds = 1;
      delete m.profile.tokens.suite.ticket.intervalSeconds;
    });
    const pushed = await sandbox.act('wecom', 'suite-ticket');
    expect(pushed).toMatchObject({ expiresIn: 1 });
    expect(await suiteToken(sandbox, pushed.suiteTicket as string)).toMatchObject({ errcode: 0 });
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await suiteToken(sandbox, pushed.suiteTicket as string)).toMatchObject({ errcode: 40085 });
  });

  it('live as long as x-scrm-sandbox.provider.ticketTtlSeconds says, when it says', async () => {
    const sandbox = await serve((m) => {
      m.profile.tokens.suite.ticket.ttlSeconds = 1;
      m.sandbox.provider.ticketTtlSeconds = 7;
    });
    expect(await sandbox.act('wecom', 'suite-ticket')).toMatchObject({ expiresIn: 7 });
  });

  it("are pushed as often as the spec's kind says", async () => {
    const suite = await countingReceiver();
    await serve(
      (m) => {
        m.profile.tokens.suite.ticket.ttlSeconds = 3;
        m.profile.tokens.suite.ticket.intervalSeconds = 1;
      },
      { callbackUrls: { suite: suite.url } },
    );
    // one push at start, then one a second
    const deadline = Date.now() + 5_000;
    while (suite.count() < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(suite.count()).toBeGreaterThanOrEqual(3);
  });

  it('refuse to start when the spec gives the sandbox an app for providers but no pushed ticket', async () => {
    await expect(serve((m) => delete m.profile.tokens.suite.ticket)).rejects.toThrow(/x-scrm-tokens\.suite\.ticket/);
  });
});
