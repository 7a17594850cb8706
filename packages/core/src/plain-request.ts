/**
 * The request object openapi-fetch hands to our engine when no middleware is registered.
 *
 * openapi-fetch builds a `Request` for every call and the engine then rebuilds one per attempt (credential, timeout,
 * request id). Building a WHATWG `Request` costs tens of microseconds in Node, so when nobody but the engine will see
 * it, openapi-fetch builds this instead: the URL, method, headers and JSON text as given. Bodies that are not text
 * (FormData, Blob, streams) still go through a real `Request`, which computes their content type and bytes.
 * Middlewares registered with `client.use()` get real `Request` objects, as openapi-fetch documents.
 */
/** The signal of a call made without one: it never aborts, so nobody needs to listen to it. */
export const NEVER_ABORTED: AbortSignal = new AbortController().signal;

export class PlainRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly signal: AbortSignal;
  readonly redirect: RequestRedirect;
  readonly #text: string | undefined;
  readonly #real: Request | undefined;

  constructor(input: string | URL, init: RequestInit = {}) {
    this.url = String(input);
    this.method = (init.method ?? 'GET').toUpperCase();
    this.signal = init.signal ?? NEVER_ABORTED;
    this.redirect = init.redirect ?? 'follow';
    const body = init.body;
    if (body === undefined || body === null || typeof body === 'string') {
      this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
      this.#text = body ?? undefined;
      this.#real = undefined;
    } else {
      this.#real = new Request(input, init);
      this.headers = this.#real.headers;
      this.#text = undefined;
    }
  }

  /** Truthy when there is a body to send. */
  get body(): string | ReadableStream<Uint8Array> | null {
    return this.#real ? this.#real.body : (this.#text ?? null) || null;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    if (this.#real) return this.#real.arrayBuffer();
    return new TextEncoder().encode(this.#text ?? '').buffer as ArrayBuffer;
  }
}
