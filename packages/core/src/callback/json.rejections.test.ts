// What a JSON callback receiver tells the caller when it refuses a delivery (reason and message), the secret path in
// every form a framework hands it, and dedupe by body hash for vendors whose events carry no id.
import { describe, expect, it } from 'vitest';
import { ScrmCallbackError } from '../errors.js';
import { callbackOutcome } from '../testing.js';
import { createJsonCallbackReceiver, type PayloadValidator } from './json.js';

const validator = (errors: PayloadValidator['errors'], ok = false): PayloadValidator => Object.assign(() => ok, { errors });
const accept = validator(null, true);

async function rejection(promise: Promise<unknown>): Promise<ScrmCallbackError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ScrmCallbackError);
    return error as ScrmCallbackError;
  }
  throw new Error('accepted');
}

describe('secret path', () => {
  const receiver = createJsonCallbackReceiver(
    { secretPath: '/hooks/juzibot/s3cr3t', dedupe: false },
    { vendor: 'juzibot', validators: { message: accept } },
  );
  const parse = (path?: string) => receiver.parse('message', '{}', path === undefined ? {} : { path });

  it('accepts the path alone, with a query, or as a full URL', async () => {
    for (const path of [
      '/hooks/juzibot/s3cr3t',
      '/hooks/juzibot/s3cr3t?a=1',
      'https://h.test/hooks/juzibot/s3cr3t?a=1',
      'http://h.test/hooks/juzibot/s3cr3t',
    ]) {
      expect(await callbackOutcome(parse(path)), path).toBe('accepted');
    }
  });

  it('refuses another path, a prefix of it, an unparseable URL and no path at all, saying why', async () => {
    for (const path of [
      '/hooks/juzibot/s3cr3',
      '/hooks/juzibot/s3cr3t/',
      'https://h.test/hooks/juzibot/other',
      'http://[bad/hooks/juzibot/s3cr3t',
      '',
    ]) {
      const error = await rejection(parse(path));
      expect(error.reason, path).toBe('bad-secret-path');
      expect(error.message).toMatch(/the request path is not the secret callback path/);
    }
    expect((await rejection(parse())).message).toMatch(/the request path is needed to check the secret path/);
    expect((await rejection(receiver.parse('message', '{}', { path: 42 as unknown as string }))).reason).toBe('bad-secret-path');
  });
});

describe('body and payload', () => {
  const receiver = (validators: Record<string, PayloadValidator>) =>
    createJsonCallbackReceiver({ dedupe: false }, { vendor: 'acme', validators });

  it('names an unknown callback kind', async () => {
    const error = await rejection(receiver({ message: accept }).parse('contact', '{}'));
    expect(error).toMatchObject({ reason: 'invalid-payload', vendor: 'acme' });
    expect(error.message).toMatch(/unknown callback kind contact/);
  });

  it('refuses what is not JSON, and JSON that is not an object, with the right message', async () => {
    const r = receiver({ message: accept });
    const notJson = await rejection(r.parse('message', '{"a":'));
    expect(notJson.reason).toBe('malformed-body');
    expect(notJson.message).toMatch(/body is not JSON$/);
    for (const body of ['42', '"text"', 'true', 'null', '[]']) {
      const error = await rejection(r.parse('message', body));
      expect(error.reason, body).toBe('malformed-body');
      expect(error.message).toMatch(/body is not a JSON object/);
    }
  });

  it('explains a schema failure with whatever the validator gave, and falls back when it gave nothing', async () => {
    const message = async (v: PayloadValidator) => (await rejection(receiver({ message: v }).parse('message', '{}'))).message;
    expect(await message(validator([{ instancePath: '/a', message: 'must be string' }]))).toMatch(/\/a must be string$/);
    expect(await message(validator([{ message: 'must have required property x' }]))).toMatch(/\(root\) must have required property x$/);
    expect(await message(validator([{ instancePath: '', message: 'must be object' }]))).toMatch(/\(root\) must be object$/);
    expect(await message(validator([{ instancePath: '/b' }]))).toMatch(/\/b does not match the schema$/);
    expect(await message(validator(null))).toMatch(/\(root\) does not match the schema$/);
    expect(await message(validator(undefined))).toMatch(/\(root\) does not match the schema$/);
    expect(await message(validator([]))).toMatch(/\(root\) does not match the schema$/);
  });
});

describe('dedupe without vendor hooks', () => {
  it('needs no verify or idOf hook, and then remembers a delivery by a hash of its body', async () => {
    const r = createJsonCallbackReceiver({}, { vendor: 'juzibot', validators: { message: accept } });
    expect(await r.parse('message', '{"a":1}')).toEqual({ a: 1 });
    const error = await rejection(r.parse('message', '{"a":1}'));
    expect(error).toMatchObject({ reason: 'replayed', status: 409 });
    expect(error.message).toMatch(/this callback was already delivered/);
    // another body is another delivery, even when it parses to the same object
    expect(await callbackOutcome(r.parse('message', '{"a":2}'))).toBe('accepted');
    expect(await callbackOutcome(r.parse('message', '{ "a": 1 }'))).toBe('accepted');
  });

  it('keeps deliveries of different kinds apart, and records them under the vendor', async () => {
    const keys: string[] = [];
    const r = createJsonCallbackReceiver(
      {
        dedupeTtlSeconds: 60,
        dedupe: {
          checkAndSet: async (key, ttl) => {
            keys.push(`${key} ${ttl}`);
            return true;
          },
        },
      },
      { vendor: 'juzibot', validators: { message: accept, room: accept }, idOf: (_k, p) => p.id as string | undefined },
    );
    await r.parse('message', '{"id":"m1"}');
    await r.parse('room', '{"id":"m1"}');
    await r.parse('room', '{}');
    expect(keys.slice(0, 2)).toEqual(['scrm:juzibot:callback:message:m1 60', 'scrm:juzibot:callback:room:m1 60']);
    expect(keys[2]).toMatch(/^scrm:juzibot:callback:room:body:[0-9a-f]{40} 60$/);
  });
});
