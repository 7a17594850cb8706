// One `abort` listener per caller signal, however many calls share it. An app often hands the same signal (a request
// scope, a shutdown signal) to hundreds of concurrent calls; a listener per call and per wait would pass Node's limit
// of 10 listeners per EventTarget and print a MaxListenersExceededWarning. Here the first subscriber adds the one
// listener, it relays the abort to every subscriber, and the last one to leave removes it.

interface Relay {
  readonly subscribers: Set<() => void>;
  readonly dispatch: () => void;
}

const relays = new WeakMap<AbortSignal, Relay>();

/**
 * Calls `listener` once when `signal` aborts. Returns the function that stops listening (call it when the work is
 * done; calling it twice is harmless). The caller checks `signal.aborted` first: an aborted signal never fires again.
 */
export function onAbort(signal: AbortSignal, listener: () => void): () => void {
  let relay = relays.get(signal);
  if (!relay) {
    const subscribers = new Set<() => void>();
    const dispatch = () => {
      relays.delete(signal);
      for (const subscriber of [...subscribers]) subscriber();
      subscribers.clear();
    };
    relay = { subscribers, dispatch };
    relays.set(signal, relay);
    signal.addEventListener('abort', dispatch, { once: true });
  }
  const { subscribers, dispatch } = relay;
  // a wrapper of its own, so the same function subscribed twice is two subscriptions
  const subscription = () => listener();
  subscribers.add(subscription);
  return () => {
    if (!subscribers.delete(subscription) || subscribers.size > 0) return;
    signal.removeEventListener('abort', dispatch);
    if (relays.get(signal)?.dispatch === dispatch) relays.delete(signal);
  };
}
