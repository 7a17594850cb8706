import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fileNameOf, scrmFileOf, toFile, toFormData } from './files.js';

/** A header value as `fetch` hands it over: each byte of the UTF-8 text as one Latin-1 character. */
const asHeaderBytes = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

describe('fileNameOf(): the file name of a Content-Disposition header', () => {
  it('reads a quoted ASCII name, as WeCom documents it', () => {
    expect(fileNameOf('attachment; filename="MEDIA_ID.jpg"')).toBe('MEDIA_ID.jpg');
  });
  it('turns a raw UTF-8 name (bytes read as Latin-1 by Headers) back into the Chinese name', () => {
    const headers = new Headers({ 'content-disposition': asHeaderBytes('attachment; filename="客户资料.pdf"') });
    expect(headers.get('content-disposition')).not.toContain('客户'); // what fetch gives before decoding
    expect(fileNameOf(headers.get('content-disposition'))).toBe('客户资料.pdf');
  });
  it("prefers RFC 5987 filename*=UTF-8''… over filename", () => {
    expect(fileNameOf(`attachment; filename="fallback.pdf"; filename*=UTF-8''%E5%AE%A2%E6%88%B7%E8%B5%84%E6%96%99.pdf`)).toBe(
      '客户资料.pdf',
    );
    expect(fileNameOf(`attachment; filename*=utf-8'zh'%E6%8A%A5%E5%91%8A%20v2.docx`)).toBe('报告 v2.docx');
  });
  it('decodes a percent-encoded UTF-8 name in filename, and leaves a literal % alone', () => {
    expect(fileNameOf('attachment; filename="%E5%AE%A2%E6%88%B7.pdf"')).toBe('客户.pdf');
    expect(fileNameOf('attachment; filename="100%25 done.txt"')).toBe('100%25 done.txt');
  });
  it('unescapes quoted characters and reads unquoted names', () => {
    expect(fileNameOf('attachment; filename="a \\"b\\".txt"')).toBe('a "b".txt');
    expect(fileNameOf('attachment; filename=plain.txt')).toBe('plain.txt');
  });
  it('keeps a real Latin-1 name that is not UTF-8, and gives undefined without a name', () => {
    expect(fileNameOf('attachment; filename="caf\u00e9.txt"')).toBe('caf\u00e9.txt');
    expect(fileNameOf('attachment')).toBeUndefined();
    expect(fileNameOf(null)).toBeUndefined();
  });
  it('scrmFileOf() gathers bytes, content type and name', () => {
    const file = scrmFileOf(
      new Uint8Array([1, 2, 3]).buffer,
      new Headers({ 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="a.pdf"' }),
    );
    expect(file).toMatchObject({ contentType: 'application/pdf', fileName: 'a.pdf', size: 3 });
    expect([...file.bytes]).toEqual([1, 2, 3]);
  });
});

describe('toFile() / toFormData(): an upload from any source keeps its bytes and its name', () => {
  const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 256);
  const sources = {
    Buffer: () => Buffer.from(bytes),
    'a Buffer slice of a pooled buffer': () => Buffer.concat([Buffer.from([9, 9]), Buffer.from(bytes)]).subarray(2),
    ArrayBuffer: () => bytes.slice().buffer,
    Blob: () => new Blob([bytes]),
    'a Node Readable': () => Readable.from([Buffer.from(bytes.subarray(0, 100)), Buffer.from(bytes.subarray(100))]),
    'a web ReadableStream': () =>
      new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(bytes.subarray(0, 150));
          c.enqueue(bytes.subarray(150));
          c.close();
        },
      }),
  };
  for (const [name, make] of Object.entries(sources)) {
    it(`from ${name}`, async () => {
      const file = await toFile({ data: make(), filename: '客户资料.pdf', contentType: 'application/pdf' });
      expect(file.name).toBe('客户资料.pdf');
      expect(file.type).toBe('application/pdf');
      expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes);
    });
  }
  it('sends the Chinese name as UTF-8 in the multipart part', async () => {
    const form = await toFormData({ media: { data: Buffer.from('hello'), filename: '客户资料.pdf' } });
    const text = Buffer.from(await new Request('http://x/', { method: 'POST', body: form }).arrayBuffer()).toString('utf8');
    expect(text).toContain('name="media"; filename="客户资料.pdf"');
    expect(text).toContain('Content-Type: application/octet-stream');
  });
  it('refuses an upload without a file name', async () => {
    await expect(toFile({ data: Buffer.from('x'), filename: '' })).rejects.toThrow(/file name/);
  });
});
