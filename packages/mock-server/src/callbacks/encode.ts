/**
 * How a vendor puts a callback on the wire, from its spec: the webhook's content type (`application/xml` → an XML
 * document, otherwise JSON) and `x-scrm-sandbox.callback` (present → signed and encrypted WXBizMsgCrypt-style, the
 * signature and timestamp in the query, the ciphertext in an envelope whose field names `callback.envelope` gives).
 * No vendor is named here: WeCom (XML in `<xml><ToUserName/><Encrypt/></xml>`) and Weiling (JSON in
 * `{to_app, encrypt_msg}`) differ only by their declarations; Juzibot and Jijyun send plain JSON.
 */
import { WxBizMsgCrypt } from '@scrm-openapi/core/internal';

type Json = Record<string, any>;

/** The resolved signing configuration of a vendor (x-scrm-sandbox.callback with the receiver id looked up). */
export interface SigningConfig {
  token: string;
  encodingAESKey: string;
  receiveId: string;
  /** Outer field names: the receiver id and the ciphertext. Default `ToUserName` and `Encrypt`. */
  envelope?: { receiver?: string; ciphertext?: string };
}

/** One HTTP request to send: the query to append to the URL, the body and its content type. */
export interface WireCallback {
  query: Record<string, string>;
  body: string;
  contentType: string;
}

export type PayloadFormat = 'xml' | 'json';

/** An XML document `<xml>…</xml>` of an event keyed by element names; `listItems` names the item element of an array. */
export function eventXml(event: Json, listItems: (field: string) => string = () => 'Item'): string {
  const cdata = (text: string) => `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
  const value = (v: unknown): string => {
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (v && typeof v === 'object') return children(v as Json);
    return cdata(String(v));
  };
  const children = (node: Json): string =>
    Object.entries(node)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([name, v]) => {
        if (Array.isArray(v)) {
          const item = listItems(name);
          return `<${name}>${v.map((x) => `<${item}>${value(x)}</${item}>`).join('')}</${name}>`;
        }
        return `<${name}>${value(v)}</${name}>`;
      })
      .join('');
  return `<xml>${children(event)}</xml>`;
}

/** Encodes a callback payload as the vendor sends it. */
export function createEncoder(
  format: PayloadFormat,
  signing: SigningConfig | undefined,
  vendor: string,
  listItems?: (field: string) => string,
) {
  const crypt = signing
    ? new WxBizMsgCrypt({ token: signing.token, encodingAESKey: signing.encodingAESKey, receiveId: signing.receiveId, vendor })
    : undefined;
  const receiverField = signing?.envelope?.receiver ?? 'ToUserName';
  const ciphertextField = signing?.envelope?.ciphertext ?? 'Encrypt';
  return (payload: Json): WireCallback => {
    const plaintext = format === 'xml' ? eventXml(payload, listItems) : JSON.stringify(payload);
    if (!crypt) return { query: {}, body: plaintext, contentType: format === 'xml' ? 'text/xml' : 'application/json' };
    const sealed = crypt.seal(plaintext);
    const query = { msg_signature: sealed.signature, timestamp: sealed.timestamp, nonce: sealed.nonce };
    if (format === 'xml')
      return {
        query,
        body: eventXml({ [receiverField]: signing!.receiveId, [ciphertextField]: sealed.encrypted }),
        contentType: 'text/xml',
      };
    return {
      query,
      body: JSON.stringify({ [receiverField]: signing!.receiveId, [ciphertextField]: sealed.encrypted }),
      contentType: 'application/json',
    };
  };
}
