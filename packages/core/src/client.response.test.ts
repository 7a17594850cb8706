// The response a caller gets back: the vendor's own on the fast path, a copy otherwise, and never with a credential
// in its url, even when the vendor's response cannot take the redacted url (frozen).
import { describe, expect, it } from 'vitest';
import { acmeClient, fakeAcme, LIST, ok, tokenValue } from './test-support.js';

/** A response as a real fetch gives it: its url is the URL called, credential and all. */
const withUrl = (response: Response, url: string) => Object.defineProperty(response, 'url', { value: url, configurable: true });

describe('the response handed back', () => {
  it("is the vendor's response, its url redacted", async () => {
    let vendor: Response | undefined;
    const acme = fakeAcme((call) => (vendor = withUrl(new Response(JSON.stringify(ok()), { headers: { 'x-v': '1' } }), call.url.href)));
    const { data, response } = await acmeClient(acme.fetch).GET(LIST);
    expect(data).toEqual(ok());
    expect(response).toBe(vendor);
    expect(response.url).toBe(`https://api.acme.invalid${LIST}?access_token=[REDACTED]`);
  });

  it("is a copy with the same status, headers and body when the vendor's response is frozen", async () => {
    const acme = fakeAcme((call) =>
      Object.freeze(
        withUrl(
          new Response(JSON.stringify(ok({ n: 1 })), {
            status: 201,
            statusText: 'Made',
            headers: { 'x-v': '1', 'content-type': 'application/json' },
          }),
          call.url.href,
        ),
      ),
    );
    const { data, response } = await acmeClient(acme.fetch).GET(LIST, { parseAs: 'json' });
    expect(data).toEqual(ok({ n: 1 }));
    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Made');
    expect(response.headers.get('x-v')).toBe('1');
    expect(response.url).not.toContain(tokenValue(1));
    expect(response.url).toBe(`https://api.acme.invalid${LIST}?access_token=[REDACTED]`);
    expect(await response.text()).toBe(JSON.stringify(ok({ n: 1 })));
  });

  it("is a fresh copy over the same text for a middleware, without the vendor's url", async () => {
    const acme = fakeAcme((call) =>
      withUrl(new Response(JSON.stringify(ok({ n: 2 })), { status: 200, headers: { 'content-type': 'application/json' } }), call.url.href),
    );
    const api = acmeClient(acme.fetch);
    const seen: Response[] = [];
    api.use({ onResponse: ({ response }: { response: Response }) => void seen.push(response) });
    const { data, response } = await api.GET(LIST);
    expect(data).toEqual(ok({ n: 2 }));
    expect(seen[0]!.url).toBe(`https://api.acme.invalid${LIST}?access_token=[REDACTED]`);
    expect(response.url).not.toContain(tokenValue(1));
  });
});
