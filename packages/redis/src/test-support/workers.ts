// Starts worker.mjs processes and talks to them line by line (see the protocol there).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./worker.mjs', import.meta.url));

export interface WorkerEvent {
  readonly event: string;
  readonly [field: string]: unknown;
}

export interface Worker {
  readonly pid: number;
  /** Sends a command and resolves to its answer; rejects on an error answer, on exit, or after `timeoutMs`. */
  send<T = Record<string, unknown>>(cmd: string, args?: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** Every event the worker reported since it started (lock attempts, in order). */
  readonly events: WorkerEvent[];
  /** Called for each new event. */
  onEvent: ((event: WorkerEvent) => void) | undefined;
  readonly alive: boolean;
  /** SIGKILL, as a crash would: no `finally`, no release, no goodbye to Redis. */
  kill(): Promise<void>;
  /** Ends stdin so the worker closes its connection and exits. */
  stop(): Promise<void>;
}

export async function startWorker(): Promise<Worker> {
  const child: ChildProcess = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const events: WorkerEvent[] = [];
  let nextId = 1;
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      for (const p of pending.values()) p.reject(new Error(`worker ${child.pid} exited (${signal ?? code}) before answering`));
      pending.clear();
      resolve();
    }),
  );
  let ready!: () => void;
  const readyPromise = new Promise<void>((resolve) => (ready = resolve));
  const worker: Worker = {
    pid: child.pid!,
    events,
    onEvent: undefined,
    get alive() {
      return !exited;
    },
    send<T>(cmd: string, args: Record<string, unknown> = {}, timeoutMs = 30_000) {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        if (exited) return reject(new Error(`worker ${child.pid} has exited`));
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`worker ${child.pid}: no answer to ${cmd} within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (v) => {
            clearTimeout(timer);
            resolve(v as T);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
        child.stdin!.write(`${JSON.stringify({ id, cmd, ...args })}\n`);
      });
    },
    async kill() {
      if (!exited) child.kill('SIGKILL');
      await exit;
    },
    async stop() {
      if (!exited) child.stdin!.end();
      await exit;
    },
  };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const message = JSON.parse(line) as { id?: number; result?: unknown; error?: string; event?: string };
    if (message.event !== undefined) {
      if (message.event === 'ready') return ready();
      events.push(message as WorkerEvent);
      worker.onEvent?.(message as WorkerEvent);
      return;
    }
    const p = pending.get(message.id!);
    if (!p) return;
    pending.delete(message.id!);
    if (message.error !== undefined) p.reject(new Error(`worker ${child.pid}: ${message.error}`));
    else p.resolve(message.result);
  });
  await Promise.race([
    readyPromise,
    exit.then(() => {
      throw new Error('worker exited while starting (are the packages built? npx turbo run build)');
    }),
  ]);
  return worker;
}

/** Resolves once `check()` is true (polled every 20 ms), or rejects with `what` after `timeoutMs`. */
export async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
