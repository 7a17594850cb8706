// An operation whose success answer is a file (OperationMeta.binary, WeCom media/get): bytes in, bytes out, and the
// JSON error envelope the vendor answers on the same URL is still the typed error.
import { describe, expect, it } from 'vitest';
import { createScrmClient } from './client.js';
import { ScrmApiError } from './errors.js';
import type { VendorProfile } from './profile.js';
import { createFakeFetch, jsonResponse } from './testing.js';
import { unwrap } from './unwrap.js';

const profile: VendorProfile = {
  vendor: 'acme',
  baseUrl: 'https://api.acme.test',
  envelope: { code: 'errcode', message: 'errmsg', success: [0], codeOptional: true },
  auth: { type: 'static', credentials: { key: 'apiKey' }, default: 'key', inject: { in: 'query', name: 'key' } },
  errorActions: {},
  operations: {
    'GET /media/get': { id: 'mediaGet', idempotent: true, binary: true },
    'POST /media/upload': { id: 'mediaUpload', idempotent: false },
  },
  secretParams: ['key'],
};
// a PNG header and bytes that are not valid UTF-8: a text round trip would mangle them
const BYTES = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00, 0x80, 0x7b]);
const fileAnswer = () =>
  new Response(BYTES, {
    headers: {
      'content-type': 'image/png',
      'content-disposition': `attachment; filename="${Buffer.from('客户头像.png').toString('latin1')}"`,
    },
  });

const clientOf = (fetch: typeof globalThis.fetch) => createScrmClient<any, any>(profile, { apiKey: 'KEY' }, { fetch, retry: false });

describe('a binary operation', () => {
  it('download() gives the bytes as sent, the content type and the decoded file name', async () => {
    const fake = createFakeFetch(() => fileAnswer());
    const file = await unwrap(clientOf(fake).download('/media/get', { params: { query: { media_id: 'M1' } } }));
    expect(file.bytes).toEqual(BYTES);
    expect(file).toMatchObject({ contentType: 'image/png', fileName: '客户头像.png', size: BYTES.length });
    expect(fake.calls[0]!.query).toMatchObject({ media_id: 'M1', key: 'KEY' });
  });

  it('GET gives the bytes as data (ArrayBuffer), also with parseAs arrayBuffer and blob', async () => {
    const client = clientOf(createFakeFetch(() => fileAnswer()));
    const plain = await client.GET('/media/get', { params: { query: { media_id: 'M1' } } });
    expect(new Uint8Array(plain.data as ArrayBuffer)).toEqual(BYTES);
    const buffer = await client.GET('/media/get', { params: { query: { media_id: 'M1' } }, parseAs: 'arrayBuffer' });
    expect(new Uint8Array(buffer.data as ArrayBuffer)).toEqual(BYTES);
    const blob = await client.GET('/media/get', { params: { query: { media_id: 'M1' } }, parseAs: 'blob' });
    expect(new Uint8Array(await (blob.data as Blob).arrayBuffer())).toEqual(BYTES);
  });

  it('turns a JSON error on the same URL into the typed error, for download() and GET alike', async () => {
    const client = clientOf(createFakeFetch(() => jsonResponse({ errcode: 40007, errmsg: 'invalid media_id' })));
    const failed = await client.download('/media/get', { params: { query: { media_id: 'gone' } } });
    expect(failed.data).toBeUndefined();
    expect(failed.error).toMatchObject({ errcode: 40007 });
    const thrown = await unwrap(client.download('/media/get', { params: { query: { media_id: 'gone' } } })).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(ScrmApiError);
    expect(thrown).toMatchObject({ code: 40007, operation: 'mediaGet' });
    const viaGet = await client.GET('/media/get', { params: { query: { media_id: 'gone' } }, parseAs: 'arrayBuffer' });
    expect(viaGet.error).toMatchObject({ errcode: 40007, errmsg: 'invalid media_id' });
    expect(() => unwrap(viaGet)).toThrow(ScrmApiError);
  });

  it('reads an error envelope sent as text/plain, and a file sent without a content type', async () => {
    const asText = clientOf(
      createFakeFetch(() => new Response('{"errcode":40007,"errmsg":"invalid media_id"}', { headers: { 'content-type': 'text/plain' } })),
    );
    expect((await asText.download('/media/get')).error).toMatchObject({ errcode: 40007 });
    const untyped = clientOf(createFakeFetch(() => new Response(BYTES)));
    expect((await unwrap(untyped.download('/media/get'))).bytes).toEqual(BYTES);
  });

  it('a JSON file with a Content-Disposition is a file, not an envelope', async () => {
    const json = new TextEncoder().encode('{"hello":"world"}');
    const client = clientOf(
      createFakeFetch(
        () =>
          new Response(json, {
            headers: { 'content-type': 'application/json', 'content-disposition': 'attachment; filename="data.json"' },
          }),
      ),
    );
    const file = await unwrap(client.download('/media/get'));
    expect(file.bytes).toEqual(json);
    expect(file.fileName).toBe('data.json');
  });

  it('upload() sends the form as multipart with the file name and the credential in the query', async () => {
    const fake = createFakeFetch(() => ({ errcode: 0, errmsg: 'ok', media_id: 'M2' }));
    const { data } = await clientOf(fake).upload('/media/upload', {
      params: { query: { type: 'file' } },
      form: { media: { data: Buffer.from(BYTES), filename: '客户资料.pdf', contentType: 'application/pdf' } },
    });
    expect(data).toMatchObject({ media_id: 'M2' });
    const call = fake.calls[0]!;
    expect(call.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);
    expect(call.query).toMatchObject({ type: 'file', key: 'KEY' });
    expect(String(call.body)).toContain('filename="客户资料.pdf"');
  });
});
