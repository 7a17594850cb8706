import { describe, expect, it } from 'vitest';
import { PlainRequest } from './plain-request.js';

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
