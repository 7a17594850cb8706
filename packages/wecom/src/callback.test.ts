import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { WxBizMsgCrypt } from '@scrm-openapi/core/internal';
import { callbackOutcome } from '@scrm-openapi/core/testing';
import {
  buildCallbackXml,
  createWecomCallback,
  createWecomCallbackSigner,
  MemoryDedupeStore,
  type WecomCallbackOptions,
} from './callback.js';

const NOW = 1_700_000_000_000;
const CONFIG = {
  token: 'callback-token-0001',
  encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  receiveId: 'ww1234567890abcdef',
  now: () => NOW,
};
const signer = createWecomCallbackSigner(CONFIG);
const receiver = (extra: Partial<WecomCallbackOptions> = {}) => createWecomCallback({ ...CONFIG, ...extra });

const addCustomer = {
  ToUserName: CONFIG.receiveId,
  FromUserName: 'sys',
  CreateTime: 1_700_000_000,
  MsgType: 'event',
  Event: 'change_external_contact',
  ChangeType: 'add_external_contact',
  UserID: 'zhangsan',
  ExternalUserID: 'woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA',
  State: 'spring-campaign',
  WelcomeCode: 'CALLBACK_CODE',
};

describe('WeCom callbacks', () => {
  it('round-trips an add_external_contact event into a typed event', async () => {
    const { query, body } = signer.event(addCustomer);
    const parsed = await receiver().parse(query, body);
    expect(parsed.key).toBe('change_external_contact.add_external_contact');
    if (parsed.key === 'change_external_contact.add_external_contact') {
      expectTypeOf(parsed.event.WelcomeCode).toEqualTypeOf<string | undefined>();
      expect(parsed.event).toEqual(addCustomer);
      expect(parsed.event.CreateTime).toBe(1_700_000_000);
    }
  });

  it('reads repeated elements as arrays and integers as numbers (change_external_chat update)', async () => {
    const { query, body } = signer.event({
      ToUserName: CONFIG.receiveId,
      FromUserName: 'sys',
      CreateTime: 1_700_000_000,
      MsgType: 'event',
      Event: 'change_external_chat',
      ChangeType: 'update',
      ChatId: 'wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA',
      UpdateDetail: 'add_member',
      JoinScene: 3,
      MemChangeCnt: 2,
      MemChangeList: ['wmA', 'wmB'],
      LastMemVer: '9c3f97c2ada667dfb5f6d03308d963e1',
      CurMemVer: '71217227bbd112ecfe3a49c482195cb4',
    });
    const parsed = await receiver().parse(query, body);
    expect(parsed.key).toBe('change_external_chat.update');
    expect(parsed.event).toMatchObject({ JoinScene: 3, MemChangeCnt: 2, MemChangeList: ['wmA', 'wmB'] });
  });

  it('answers URL verification with the decrypted echostr, from a raw URL query too', () => {
    const signed = signer.urlVerification('1616140317555161061');
    expect(receiver().verifyUrl(signed.query)).toBe('1616140317555161061');
    const url = new URL(signed.urlFor('https://example.test/wecom/callback'));
    expect(receiver().verifyUrl(url.searchParams)).toBe('1616140317555161061');
  });

  it('reads third-party suite callbacks (InfoType / TimeStamp / AuthCorpId) as the same events', async () => {
    const suite = createWecomCallbackSigner({ ...CONFIG, receiveId: 'wwSuiteId0001' });
    const { query, body } = suite.event({
      SuiteId: 'wwSuiteId0001',
      AuthCorpId: 'wwCorp0001',
      InfoType: 'change_external_contact',
      TimeStamp: 1_700_000_000,
      ChangeType: 'del_follow_user',
      UserID: 'zhangsan',
      ExternalUserID: 'woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA',
    });
    const parsed = await receiver({ receiveId: 'wwSuiteId0001' }).parse(query, body);
    expect(parsed.key).toBe('change_external_contact.del_follow_user');
    expect(parsed.event).toMatchObject({
      Event: 'change_external_contact',
      CreateTime: 1_700_000_000,
      ToUserName: 'wwCorp0001',
      SuiteId: 'wwSuiteId0001',
      TimeStamp: 1_700_000_000,
    });
    if (parsed.key === 'change_external_contact.del_follow_user') {
      // both forms have the corp, the time and the family once parsed; the third-party form is told by SuiteId
      expectTypeOf(parsed.event.ToUserName).toEqualTypeOf<string>();
      expectTypeOf(parsed.event.CreateTime).toEqualTypeOf<number>();
      // @ts-expect-error AuthCorpId is only in the third-party form: narrow first
      void parsed.event.AuthCorpId;
      expect('SuiteId' in parsed.event).toBe(true);
      if ('SuiteId' in parsed.event) {
        expectTypeOf(parsed.event.AuthCorpId).toEqualTypeOf<string>();
        expectTypeOf(parsed.event.InfoType).toEqualTypeOf<string>();
        expectTypeOf(parsed.event.TimeStamp).toEqualTypeOf<number>();
      } else {
        expectTypeOf(parsed.event.FromUserName).toEqualTypeOf<string>();
        expectTypeOf(parsed.event.MsgType).toEqualTypeOf<string>();
      }
    }
  });

  it('reads the instruction callbacks of a suite (suite_ticket, create_auth: InfoType, no Event) into typed events', async () => {
    const suite = createWecomCallbackSigner({ ...CONFIG, receiveId: 'ww4asffe99e54c0fxxxx' });
    const suiteReceiver = receiver({ receiveId: 'ww4asffe99e54c0fxxxx' });
    // the documented samples of 90628 and 90642
    const ticket = suite.event({
      SuiteId: 'ww4asffe99e54c0fxxxx',
      InfoType: 'suite_ticket',
      TimeStamp: 1_403_610_513,
      SuiteTicket: 'asdfasfdasdfasdf',
    });
    const parsedTicket = await suiteReceiver.parse(ticket.query, ticket.body);
    expect(parsedTicket.key).toBe('suite_ticket');
    expect(parsedTicket.event).toMatchObject({ InfoType: 'suite_ticket', SuiteTicket: 'asdfasfdasdfasdf', TimeStamp: 1_403_610_513 });
    if (parsedTicket.key === 'suite_ticket') expectTypeOf(parsedTicket.event.SuiteTicket).toEqualTypeOf<string>();

    const auth = suite.event({
      SuiteId: 'ww4asffe99e54c0fxxxx',
      AuthCode: 'AUTHCODE',
      InfoType: 'create_auth',
      TimeStamp: 1_403_610_514,
      State: '123',
    });
    const parsedAuth = await suiteReceiver.parse(auth.query, auth.body);
    expect(parsedAuth.key).toBe('create_auth');
    expect(parsedAuth.event).toMatchObject({ AuthCode: 'AUTHCODE', State: '123' });
  });

  it('gives events the spec does not know key null, without failing', async () => {
    const { query, body } = signer.event({ ...addCustomer, Event: 'brand_new_event', ChangeType: 'whatever' });
    const parsed = await receiver().parse(query, body);
    expect(parsed.key).toBeNull();
    expect(parsed.event.Event).toBe('brand_new_event');
  });

  it('gives a message callback (MsgType, no Event) key null too: apps receive messages on the same URL', async () => {
    const message = {
      ToUserName: CONFIG.receiveId,
      FromUserName: 'zhangsan',
      CreateTime: 1_700_000_000,
      MsgType: 'text',
      Content: '你好',
      MsgId: '1234567',
      AgentID: 1000002,
    };
    const { query, body } = signer.event(message);
    const parsed = await receiver().parse(query, body);
    expect(parsed.key).toBeNull();
    expect(parsed.event).toMatchObject({ MsgType: 'text', Content: '你好' });
  });

  it('encrypts passive replies that WeCom can verify', () => {
    const xml = receiver().encryptReply('success', { timestamp: '1700000000', nonce: '42' });
    const encrypted = /<Encrypt><!\[CDATA\[(.+?)\]\]><\/Encrypt>/.exec(xml)?.[1] ?? '';
    const signature = /<MsgSignature><!\[CDATA\[(.+?)\]\]><\/MsgSignature>/.exec(xml)?.[1] ?? '';
    const crypt = new WxBizMsgCrypt(CONFIG);
    crypt.verify(signature, '1700000000', '42', encrypted);
    expect(crypt.decrypt(encrypted)).toBe('success');
  });

  describe('rejects what is not genuine', () => {
    const tamper = (field: 'msg_signature' | 'timestamp' | 'nonce') => {
      const { query, body } = signer.event(addCustomer);
      const value = query[field]!;
      return { query: { ...query, [field]: field === 'timestamp' ? String(Number(value) + 1) : `${value}0` }, body };
    };

    it.each(['msg_signature', 'timestamp', 'nonce'] as const)('a tampered %s → bad-signature', async (field) => {
      const { query, body } = tamper(field);
      expect(await callbackOutcome(receiver().parse(query, body))).toBe('bad-signature');
    });

    it('a tampered ciphertext → bad-signature', async () => {
      const { query, body } = signer.event(addCustomer);
      const forged = body.replace(/<Encrypt><!\[CDATA\[(.)/, (_m, c: string) => `<Encrypt><![CDATA[${c === 'A' ? 'B' : 'A'}`);
      expect(await callbackOutcome(receiver().parse(query, forged))).toBe('bad-signature');
    });

    it('another token → bad-signature', async () => {
      const { query, body } = signer.event(addCustomer);
      expect(await callbackOutcome(receiver({ token: 'other-token' }).parse(query, body))).toBe('bad-signature');
    });

    it('another receiver id → bad-receiver', async () => {
      const { query, body } = createWecomCallbackSigner({ ...CONFIG, receiveId: 'wwAnotherCorp' }).event(addCustomer);
      expect(await callbackOutcome(receiver().parse(query, body))).toBe('bad-receiver');
    });

    it('a stale timestamp → stale-timestamp', async () => {
      const { query, body } = signer.event(addCustomer, { timestamp: String(NOW / 1000 - 3600) });
      expect(await callbackOutcome(receiver().parse(query, body))).toBe('stale-timestamp');
    });

    it('a missing parameter → missing-parameter', async () => {
      const { query, body } = signer.event(addCustomer);
      const { nonce: _nonce, ...rest } = query;
      expect(await callbackOutcome(receiver().parse(rest, body))).toBe('missing-parameter');
    });

    it('the same request twice → replayed', async () => {
      const r = receiver();
      const { query, body } = signer.event(addCustomer);
      await r.parse(query, body);
      expect(await callbackOutcome(r.parse(query, body))).toBe('replayed');
    });

    it('the same event re-delivered with a new signature → replayed', async () => {
      const r = receiver();
      await r.parse(...(Object.values(signer.event(addCustomer, { nonce: '1' })).slice(0, 2) as [Record<string, string>, string]));
      const again = signer.event(addCustomer, { nonce: '2' });
      expect(await callbackOutcome(r.parse(again.query, again.body))).toBe('replayed');
    });

    it('shares the replay memory through a dedupe store', async () => {
      const dedupe = new MemoryDedupeStore();
      const { query, body } = signer.event(addCustomer);
      await receiver({ dedupe }).parse(query, body);
      expect(await callbackOutcome(receiver({ dedupe }).parse(query, body))).toBe('replayed');
      expect(await callbackOutcome(receiver({ dedupe: false }).parse(query, body))).toBe('accepted');
    });

    it('a body without <Encrypt>, with a DTD, or too large → malformed-body / too-large', async () => {
      const { query } = signer.event(addCustomer);
      expect(await callbackOutcome(receiver().parse(query, '<xml><ToUserName>x</ToUserName></xml>'))).toBe('malformed-body');
      expect(await callbackOutcome(receiver().parse(query, '<!DOCTYPE x [<!ENTITY a "b">]><xml><Encrypt>&a;</Encrypt></xml>'))).toBe(
        'malformed-body',
      );
      expect(await callbackOutcome(receiver().parse(query, 'not xml at all <'))).toBe('malformed-body');
      expect(await callbackOutcome(receiver({ maxBodyBytes: 10 }).parse(query, '<xml>0123456789</xml>'))).toBe('too-large');
    });

    it('a genuine envelope whose decrypted content is not XML → malformed-body', async () => {
      const { query, body } = signer.event('this is not xml');
      expect(await callbackOutcome(receiver().parse(query, body))).toBe('malformed-body');
    });

    it('a decrypted document with none of MsgType, Event and InfoType → invalid-payload', async () => {
      const { query, body } = signer.event({ ToUserName: CONFIG.receiveId, CreateTime: 1_700_000_000, ChangeType: 'add_external_contact' });
      expect(await callbackOutcome(receiver().parse(query, body))).toBe('invalid-payload');
      const blank = signer.event({ ...addCustomer, MsgType: '', Event: '' });
      expect(await callbackOutcome(receiver().parse(blank.query, blank.body))).toBe('invalid-payload');
    });

    it('an integer field that is not a number → invalid-payload', async () => {
      const { query, body } = signer.event(buildCallbackXml({ ...addCustomer, CreateTime: 'yesterday' }));
      expect(await callbackOutcome(receiver().parse(query, body))).toBe('invalid-payload');
    });
  });

  describe('fuzzing: only ScrmCallbackError ever escapes', () => {
    const r = receiver({ dedupe: false, toleranceSeconds: 0 });

    it('for arbitrary queries and bodies', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({ msg_signature: fc.string(), timestamp: fc.string(), nonce: fc.string() }, { requiredKeys: [] }),
          fc.oneof(fc.string(), fc.constantFrom('<xml><Encrypt><![CDATA[', '<xml><Encrypt>AAAA</Encrypt></xml>')),
          async (query, body) => {
            expect(await callbackOutcome(r.parse(query, body))).not.toMatch(/^not a callback error/);
          },
        ),
        { numRuns: 1000 },
      );
    });

    it('for correctly signed envelopes around arbitrary decrypted content', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.string(),
            fc
              .dictionary(
                fc.constantFrom('Event', 'ChangeType', 'CreateTime', 'MemChangeList', 'JoinScene', 'UserID', 'x'),
                fc.oneof(fc.string(), fc.integer(), fc.array(fc.string(), { maxLength: 3 })),
              )
              .map((o) => buildCallbackXml(o)),
          ),
          async (content) => {
            const { query, body } = signer.event(content);
            expect(await callbackOutcome(r.parse(query, body))).not.toMatch(/^not a callback error/);
          },
        ),
        { numRuns: 1000 },
      );
    });

    it('for signed ciphertexts of arbitrary bytes', async () => {
      const crypt = new WxBizMsgCrypt(CONFIG);
      await fc.assert(
        fc.asyncProperty(fc.base64String({ minLength: 4, maxLength: 400 }), async (encrypt) => {
          const query = { msg_signature: crypt.signature('1700000000', '7', encrypt), timestamp: '1700000000', nonce: '7' };
          expect(await callbackOutcome(r.parse(query, `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`))).not.toMatch(
            /^not a callback error/,
          );
        }),
        { numRuns: 1000 },
      );
    });
  });
});
