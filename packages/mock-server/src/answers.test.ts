// Every answer in the vendor's own form: the token endpoint's credential errors with the codes x-scrm-sandbox
// declares (WeCom gettoken: 41002 / 41004 for a missing corpid / corpsecret, 40013 / 40001 for a wrong one), paths
// that are no operation and operations called with another method as the vendor answers them (never the framework's
// 404, whose message repeated the URL with its access_token), and a token given twice read as the first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from './server.js';
import { loadModel, loadSpec, VENDORS } from './spec.js';

type Json = Record<string, any>;
let server: MockServer;
beforeAll(async () => {
  server = await startMockServer();
});
afterAll(() => server?.close());

const answerOf = async (res: Response, envelope: Json) => {
  const text = await res.text();
  const body = JSON.parse(text) as Json;
  return { status: res.status, code: body[envelope.code], message: String(body[envelope.message]), text };
};
/** What a declared answer looks like on the wire: a body code with HTTP 200, or an HTTP status. */
const expected = (answer: number | { status: number }) =>
  typeof answer === 'object' ? { status: answer.status, code: answer.status } : { status: 200, code: answer };

describe('WeCom gettoken: credential errors with the codes WeCom answers', () => {
  const token = (query: string) => fetch(`${server.url}/wecom/cgi-bin/gettoken?${query}`);
  const envelope = { code: 'errcode', message: 'errmsg' };

  it('a wrong secret is 40001 (not a token code), a wrong corp id 40013', async () => {
    const { corpId, corpSecret } = server.credentials.wecom;
    expect(await answerOf(await token(`corpid=${corpId}&corpsecret=not-the-secret`), envelope)).toMatchObject({ status: 200, code: 40001 });
    expect(await answerOf(await token(`corpid=wwnotthecorp&corpsecret=${corpSecret}`), envelope)).toMatchObject({
      status: 200,
      code: 40013,
    });
  });

  it('a missing corpid is 41002, a missing corpsecret 41004', async () => {
    const { corpId, corpSecret } = server.credentials.wecom;
    expect(await answerOf(await token(`corpsecret=${corpSecret}`), envelope)).toMatchObject({ code: 41002 });
    expect(await answerOf(await token(`corpid=${corpId}`), envelope)).toMatchObject({ code: 41004 });
    expect(await answerOf(await token(`corpid=${corpId}&corpsecret=`), envelope)).toMatchObject({ code: 41004 });
  });
});

// every vendor with a token endpoint: a missing and a wrong credential, as its x-scrm-sandbox declares
for (const vendor of VENDORS) {
  const spec = loadSpec(vendor);
  const auth = loadModel(vendor).profile.auth;
  if (auth.type !== 'token-endpoint') continue;
  const sandbox = spec['x-scrm-sandbox'];
  it(`${vendor}: the token endpoint answers a missing and a wrong credential as x-scrm-sandbox declares`, async () => {
    const creds = server.credentials[vendor] as Record<string, string>;
    const params = Object.entries(auth.credentials);
    for (const [param, option] of params) {
      const others = params.filter(([p]) => p !== param).map(([p, o]) => `${p}=${encodeURIComponent(creds[o]!)}`);
      const url = (extra: string[]) => `${server.url}/${vendor}${auth.path}?${[...others, ...extra].join('&')}`;
      const missing = await answerOf(await fetch(url([])), spec['x-scrm-envelope']);
      expect(missing).toMatchObject(expected(sandbox.missingCredential?.[option] ?? sandbox.parameterError));
      const wrong = await answerOf(await fetch(url([`${param}=wrong-${option}`])), spec['x-scrm-envelope']);
      expect(wrong).toMatchObject(expected(sandbox.badCredential?.[option] ?? sandbox.parameterError));
      expect(wrong.text).not.toContain(`wrong-${option}`);
    }
  });
}

describe('paths that are no operation, and other methods', () => {
  for (const vendor of VENDORS) {
    const spec = loadSpec(vendor);
    const sandbox = spec['x-scrm-sandbox'];
    const envelope = spec['x-scrm-envelope'];
    const unknown = sandbox.unknownOperation ?? { status: 404 };
    const [path, item] = Object.entries(spec.paths as Json).find(([p, i]) => !p.includes('{') && (i as Json).post && !(i as Json).get)!;
    void item;
    it(`${vendor}: an unknown path and a GET of a POST operation, in the vendor's form, without echoing the query`, async () => {
      const secret = 'credential-value-that-must-not-be-echoed';
      const none = await answerOf(
        await fetch(`${server.url}/${vendor}/no/such/operation?access_token=${secret}&token=${secret}`),
        envelope,
      );
      expect(none).toMatchObject(expected(unknown));
      expect(none.text).not.toContain(secret);
      expect(none.text).not.toContain('no/such');
      const wrong = await answerOf(await fetch(`${server.url}/${vendor}${path}?access_token=${secret}&token=${secret}`), envelope);
      expect(wrong).toMatchObject(expected(sandbox.wrongMethod ?? unknown));
      expect(wrong.text).not.toContain(secret);
    });
  }

  it('outside any vendor: a JSON 404 that repeats nothing of the request', async () => {
    const res = await fetch(`${server.url}/nowhere/at/all?access_token=credential-value-that-must-not-be-echoed`);
    expect(res.status).toBe(404);
    const text = await res.text();
    expect(text).not.toContain('credential-value');
    expect(text).not.toContain('nowhere');
  });
});

describe('access_token given twice', () => {
  it('is read as the first one, as a single token would be (not as missing)', async () => {
    const { corpId, corpSecret } = server.credentials.wecom;
    const { access_token } = await (await fetch(`${server.url}/wecom/cgi-bin/gettoken?corpid=${corpId}&corpsecret=${corpSecret}`)).json();
    const path = `${server.url}/wecom/cgi-bin/externalcontact/get_follow_user_list`;
    expect((await (await fetch(`${path}?access_token=${access_token}&access_token=other`)).json()).errcode).toBe(0);
    const answers = loadSpec('wecom')['x-scrm-sandbox'];
    expect((await (await fetch(`${path}?access_token=other&access_token=${access_token}`)).json()).errcode).toBe(answers.invalidToken);
  });
});
