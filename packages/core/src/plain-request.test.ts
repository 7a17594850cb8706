import { describe, expect, it } from 'vitest';
import { NEVER_ABORTED, PlainRequest } from './plain-request.js';

describe('PlainRequest', () => {
  it('keeps a JSON text body and its headers as given', async () => {
    const headers = new Headers({ 'content-type': 'application/json' });
    const request = new PlainRequest('https://x.invalid/a?b=1', { method: 'post', headers, body: '{"a":1}' });
    expect(request.method).toBe('POST');
    expect(request.headers).toBe(headers);
    expect(request.body).toBe('{"a":1}');
    expect(new TextDecoder().decode(await request.arrayBuffer())).toBe('{"a":1}');
  });

  it('has no body for GET and an empty string, and a signal that never fires by default', () => {
    expect(new PlainRequest('https://x.invalid/').body).toBeNull();
    expect(new PlainRequest('https://x.invalid/', { method: 'POST', body: '' }).body).toBeNull();
    expect(new PlainRequest('https://x.invalid/').signal.aborted).toBe(false);
  });

  it('lets a real Request encode FormData, with its multipart boundary in the content type', async () => {
    const form = new FormData();
    form.set('media', new Blob(['hello'], { type: 'text/plain' }), 'a.txt');
    const request = new PlainRequest('https://x.invalid/upload', { method: 'POST', body: form });
    const type = request.headers.get('content-type') ?? '';
    expect(type).toMatch(/^multipart\/form-data; boundary=/);
    const text = new TextDecoder().decode(await request.arrayBuffer());
    expect(text).toContain('filename="a.txt"');
    expect(text).toContain('hello');
  });
});

describe('PlainRequest, as the engine reads it', () => {
  it('defaults to GET, follow and the never-aborting signal, and keeps what is given', () => {
    const plain = new PlainRequest(new URL('https://x.invalid/a?b=1'));
    expect(plain.url).toBe('https://x.invalid/a?b=1');
    expect(plain.method).toBe('GET');
    expect(plain.redirect).toBe('follow');
    expect(plain.signal).toBe(NEVER_ABORTED);
    const signal = new AbortController().signal;
    const given = new PlainRequest('https://x.invalid/', { method: 'delete', redirect: 'manual', signal, headers: { 'x-a': '1' } });
    expect(given.method).toBe('DELETE');
    expect(given.redirect).toBe('manual');
    expect(given.signal).toBe(signal);
    expect(given.headers).toBeInstanceOf(Headers);
    expect(given.headers.get('x-a')).toBe('1');
  });

  it('reads an empty body as zero bytes, and a non-text body through a real Request', async () => {
    expect((await new PlainRequest('https://x.invalid/').arrayBuffer()).byteLength).toBe(0);
    expect((await new PlainRequest('https://x.invalid/', { method: 'POST', body: null }).arrayBuffer()).byteLength).toBe(0);
    const bytes = new PlainRequest('https://x.invalid/', { method: 'POST', body: new Uint8Array([1, 2, 3]), headers: { 'x-a': '1' } });
    expect(bytes.body).toBeInstanceOf(ReadableStream);
    expect(bytes.headers.get('x-a')).toBe('1');
    expect([...new Uint8Array(await bytes.arrayBuffer())]).toEqual([1, 2, 3]);
    expect(new PlainRequest('https://x.invalid/', { method: 'POST', body: 'é' }).body).toBe('é');
    expect([...new Uint8Array(await new PlainRequest('https://x.invalid/', { method: 'POST', body: 'é' }).arrayBuffer())]).toEqual([
      0xc3, 0xa9,
    ]);
  });
});
