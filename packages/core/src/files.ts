/**
 * Files in and out of vendor APIs: what a download gives (`ScrmFile`: the bytes, their content type and the file
 * name from `Content-Disposition`, decoded), and what an upload takes (`UploadFile`: a Blob, bytes or a stream with
 * an explicit file name) turned into the `FormData` a multipart call sends.
 */

/** A downloaded file (WeCom `media/get`): its bytes, content type and file name. */
export interface ScrmFile {
  readonly bytes: Uint8Array;
  /** The answer's `Content-Type`, e.g. `image/jpeg`; undefined when the vendor sent none. */
  readonly contentType: string | undefined;
  /** The file name from `Content-Disposition` (`filename*=` preferred, UTF-8 names decoded); undefined when absent. */
  readonly fileName: string | undefined;
  readonly size: number;
}

/** What an upload's file may be read from. A Node `Readable` is an `AsyncIterable` and works as one. */
export type FileSource = Blob | ArrayBuffer | ArrayBufferView | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>;

/** One file part of a multipart upload. */
export interface UploadFile {
  readonly data: FileSource;
  /** The name the vendor shows (WeCom: the name in file messages). Any Unicode name, e.g. `客户资料.pdf`. */
  readonly filename: string;
  /** The part's content type; defaults to the Blob's own type, else `application/octet-stream`. */
  readonly contentType?: string;
}

/** The parts of a multipart body: files, and plain text fields. */
export type UploadForm = Readonly<Record<string, UploadFile | string>>;

/** The file an answer carries: bytes, content type and the name its `Content-Disposition` gives. */
export function scrmFileOf(bytes: ArrayBuffer | Uint8Array, headers: Headers): ScrmFile {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return {
    bytes: view,
    contentType: headers.get('content-type') ?? undefined,
    fileName: fileNameOf(headers.get('content-disposition')),
    size: view.byteLength,
  };
}

/**
 * The file name a `Content-Disposition` header gives, decoded:
 * - `filename*=UTF-8''%E5%AE%A2…` (RFC 5987/6266) wins over `filename=`;
 * - a quoted `filename="…"` is unescaped; when it holds raw UTF-8 bytes (as WeCom sends Chinese names), `fetch`
 *   hands them over as one Latin-1 character per byte, and they are turned back into the UTF-8 name;
 * - a name percent-encoded inside `filename=` is decoded when that gives non-ASCII UTF-8 text.
 */
export function fileNameOf(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  const params = parseParams(header);
  const extended = params.get('filename*');
  if (extended !== undefined) {
    const decoded = decodeExtended(extended);
    if (decoded !== undefined) return decoded;
  }
  const plain = params.get('filename');
  if (plain === undefined) return undefined;
  return fromLatin1Utf8(fromPercentUtf8(plain));
}

/** The `name=value` parameters after the disposition type; quoted values unescaped. Names are lower-cased. */
function parseParams(header: string): Map<string, string> {
  const params = new Map<string, string>();
  const re = /;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  for (let m = re.exec(header); m; m = re.exec(header)) {
    const name = m[1]!.toLowerCase();
    if (params.has(name)) continue;
    params.set(name, m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!.trim());
  }
  return params;
}

/** `charset'language'percent-encoded` (RFC 5987): UTF-8 and ISO-8859-1 are understood. */
function decodeExtended(value: string): string | undefined {
  const m = /^([^']*)'[^']*'(.*)$/.exec(value);
  if (!m) return undefined;
  const charset = m[1]!.toLowerCase();
  const bytes = percentBytes(m[2]!);
  if (!bytes) return undefined;
  if (charset === 'utf-8' || charset === 'utf8' || charset === '') return utf8(bytes);
  if (charset === 'iso-8859-1' || charset === 'latin1') return String.fromCharCode(...bytes);
  return undefined;
}

function percentBytes(text: string): Uint8Array | undefined {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (text[i] === '%') {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      out.push(Number.parseInt(hex, 16));
      i += 2;
    } else if (c < 0x80) out.push(c);
    else return undefined;
  }
  return Uint8Array.from(out);
}

function utf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** `%E5%AE%A2.pdf` → `客.pdf`, only when the name has escapes that decode to non-ASCII UTF-8. */
function fromPercentUtf8(name: string): string {
  if (!/%[89a-fA-F][0-9a-fA-F]/.test(name)) return name;
  const bytes = percentBytes(name);
  const text = bytes && utf8(bytes);
  return text ?? name;
}

/** UTF-8 bytes read as Latin-1 (one character per byte, as `Headers` hands them over) back to the UTF-8 text. */
function fromLatin1Utf8(name: string): string {
  const codes = Array.from(name, (c) => c.charCodeAt(0));
  if (!codes.some((c) => c >= 0x80) || codes.some((c) => c > 0xff)) return name;
  return utf8(Uint8Array.from(codes)) ?? name;
}

/** A `File` from an upload's source, read to the end (streams are buffered: vendors want the length up front). */
export async function toFile(file: UploadFile): Promise<File> {
  if (!file || typeof file.filename !== 'string' || file.filename === '') {
    throw new TypeError('an upload needs a file name (filename): the vendor shows it and some reject a part without one');
  }
  const data = file.data;
  const type = file.contentType ?? (data instanceof Blob && data.type ? data.type : 'application/octet-stream');
  let parts: BlobPart[];
  if (data instanceof Blob) parts = [data];
  else if (data instanceof ArrayBuffer) parts = [new Uint8Array(data).slice()];
  else if (ArrayBuffer.isView(data)) parts = [new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice()];
  else if (isReadableStream(data)) parts = await collect(streamChunks(data));
  else if (data && typeof (data as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') parts = await collect(data);
  else throw new TypeError('upload data must be a Blob, an ArrayBuffer, a Buffer / typed array, a ReadableStream or a Node Readable');
  return new File(parts, file.filename, { type });
}

/** The `FormData` of a multipart upload: each file part with its name and type, each string as a text field. */
export async function toFormData(form: UploadForm): Promise<FormData> {
  const body = new FormData();
  for (const [name, value] of Object.entries(form)) {
    if (typeof value === 'string') body.append(name, value);
    else {
      const file = await toFile(value);
      body.append(name, file, file.name);
    }
  }
  return body;
}

function isReadableStream(value: unknown): value is ReadableStream<Uint8Array> {
  return typeof (value as ReadableStream | undefined)?.getReader === 'function';
}

async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

async function collect(source: AsyncIterable<Uint8Array | string>): Promise<BlobPart[]> {
  const parts: BlobPart[] = [];
  for await (const chunk of source) {
    // a Node Buffer is a Uint8Array over a pooled ArrayBuffer: copy the view, never the whole pool
    parts.push(typeof chunk === 'string' ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength).slice());
  }
  return parts;
}
