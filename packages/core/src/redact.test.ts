import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from './redact.js';

describe('Redactor', () => {
  const r = new Redactor(['access_token', 'corpsecret']);
  r.addCredential('my-corp-secret');
  r.addToken('tok-123456');

  it('redacts secret query parameters by name, whatever their value', () => {
    expect(r.url('https://h/x?corpid=ww1&corpsecret=unknown-value&access_token=abc')).toBe(
      `https://h/x?corpid=ww1&corpsecret=${REDACTED}&access_token=${REDACTED}`,
    );
  });

  it('redacts known values anywhere, raw or URL-encoded', () => {
    expect(r.text('token tok-123456 and secret my-corp-secret')).toBe(`token ${REDACTED} and secret ${REDACTED}`);
    const encoded = new Redactor([]);
    encoded.addCredential('a+b/c=');
    expect(encoded.text('q=a%2Bb%2Fc%3D')).toBe(`q=${REDACTED}`);
  });

  it('redacts JSON-ish "name": "value" pairs', () => {
    expect(r.text('{"access_token": "zzz", "other": 1}')).toBe(`{"access_token": "${REDACTED}", "other": 1}`);
  });

  it('redacts by key in structured values', () => {
    expect(r.value({ corpsecret: 'x', nested: { note: 'tok-123456' }, list: ['my-corp-secret'] })).toEqual({
      corpsecret: REDACTED,
      nested: { note: REDACTED },
      list: [REDACTED],
    });
  });

  it('forgets old tokens but never credentials', () => {
    const small = new Redactor([]);
    small.addCredential('credential-0');
    for (let i = 0; i < 100; i++) small.addToken(`token-${String(i).padStart(3, '0')}`);
    expect(small.text('credential-0')).toBe(REDACTED);
    expect(small.text('token-099')).toBe(REDACTED);
    expect(small.text('token-000')).toBe('token-000');
  });

  it('ignores values too short to redact safely', () => {
    const tiny = new Redactor([]);
    tiny.addToken('ab');
    expect(tiny.text('abc')).toBe('abc');
  });
});
