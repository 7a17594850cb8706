/**
 * `/_control/callbacks`: the deliveries so far (GET) and a callback sent on demand (POST `{vendor, event, payload?,
 * url?}`, checked like every control input; the payload is the webhook's example with `payload` merged in).
 */
import { bodyOf, checkedBy, ControlError, type ControlRoute } from '../control.js';
import type { CallbackSender } from './index.js';

export function callbackRoutes(sender: CallbackSender): ControlRoute[] {
  const vendors = sender.vendors();
  const schema = {
    type: 'object',
    additionalProperties: false,
    required: ['vendor', 'event'],
    properties: {
      vendor: { enum: vendors.length ? vendors : [''] },
      event: { type: 'string', minLength: 1, maxLength: 200 },
      payload: { type: 'object' },
      url: { type: 'string', pattern: '^https?://', maxLength: 2000 },
      /** Wait until delivered or given up (default), or answer after the first attempt. */
      wait: { type: 'boolean' },
    },
  };
  return [
    { method: 'GET', url: '/_control/callbacks', handler: () => ({ body: { callbacks: sender.list() } }) },
    {
      method: 'POST',
      url: '/_control/callbacks',
      handler: async (req) => {
        const input = checkedBy<{ vendor: string; event: string; payload?: Record<string, unknown>; url?: string; wait?: boolean }>(
          schema,
          bodyOf(req),
          'callback',
        );
        const events = sender.events(input.vendor);
        if (!events.includes(input.event)) throw new ControlError(400, `invalid callback: event: must be one of ${events.join(', ')}`);
        let delivery: ReturnType<CallbackSender['deliver']>;
        try {
          delivery = sender.deliver(input.vendor, input.event, sender.build(input.vendor, input.event, input.payload ?? {}), input.url);
        } catch (error) {
          throw new ControlError(400, `invalid callback: ${(error as Error).message}`);
        }
        if (input.wait === false) {
          await delivery.first;
          return { body: { callback: delivery.record } };
        }
        return { body: { callback: await delivery.done } };
      },
    },
  ];
}
