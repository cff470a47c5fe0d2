/**
 * Faults on demand, the same in every sandbox: a plan of aimed faults that runs before the
 * sandbox's own handler. Each fault says what goes wrong (`kind`), for which requests (`only`,
 * tested against `"<METHOD> <path>"`, the query left out) and how many times (`times`, default 1),
 * so a test can fault exactly the one request it means while a gateway polls other orders.
 *
 * Kinds:
 *   - latency: waits `ms`, then the request is handled normally (it takes effect).
 *   - status: answers `status` (default 503) with `body` (default the sandbox's own error body).
 *     (`body` also replaces the default body of truncated and malformed.)
 *   - reset: destroys the socket without an answer.
 *   - hang: answers nothing and drops the connection after `ms` (default 30 s) or at close().
 *   - truncated: 200 with the sandbox's JSON content type and a valid JSON document cut in half.
 *   - malformed: 200 with the sandbox's JSON content type and a body that is not JSON.
 *   - content-type: 200 `text/html` with an HTML page (a proxy's or a login page).
 *   - lost: the request is handled normally (it takes effect), then its answer is dropped (the
 *     socket destroyed instead of the answer sent): an answer lost on the way back.
 *   - hold: the request is handled normally (it takes effect), then its answer is held until the
 *     test releases it (`release()`; dropped at close()): the moment between a provider's answer
 *     and the caller's next step, made as long as a test needs (to kill the caller, or stop its
 *     store, while the money has moved and nobody knows it yet).
 * Every kind but latency, lost and hold leaves the sandbox untouched: the faulted request has no effect.
 *
 * Over HTTP (for a staging or manual run) on every sandbox's own origin:
 *   POST /sandbox/faults `{"kind": "status", "status": 502, "only": "^GET /v1/order/", "times": 3}`
 *     (`only` a regular expression source; `times` a whole number or null for "until cleared")
 *   GET /sandbox/faults lists the armed faults and how many answers are held, DELETE
 *   /sandbox/faults clears them, POST /sandbox/faults/release sends the held answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { jsonReply, send } from './http.js';
import type { Timers } from './timers.js';

export const FAULT_KINDS = ['latency', 'status', 'reset', 'hang', 'truncated', 'malformed', 'content-type', 'lost', 'hold'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  kind: FaultKind;
  /** Only requests whose `"<METHOD> <path>"` matches; unset: any request but /sandbox/faults. */
  only?: RegExp;
  /** How many matching requests it hits; Infinity: until cleared. Default 1. */
  times?: number;
  /** latency: the delay; hang: how long before the connection is dropped. */
  ms?: number;
  /** status: the HTTP status. Default 503. */
  status?: number;
  /** status, truncated, malformed: the body sent instead of the default one. */
  body?: string;
}

/** The faults of one sandbox, as its test handle exposes them. */
export interface SandboxFaults {
  inject(fault: FaultSpec): void;
  /** Disarms every fault. */
  clear(): void;
  /** Faults still armed, with the hits each has left. */
  armed(): { kind: FaultKind; only?: string; left: number }[];
  /** How many requests so far (faulted ones included) had a `"<METHOD> <path>"` matching `pattern`. */
  count(pattern: RegExp): number;
  /** How many answers a `hold` fault keeps back now (their requests have taken effect). */
  held(): number;
  /** Sends every held answer (to a caller that may be gone); how many there were. */
  release(): number;
}

/** How a sandbox's answers look, for the faults that imitate them. */
export interface FaultShape {
  /** The content type of the sandbox's JSON answers. */
  jsonContentType: string;
  /** The body of a 5xx, as the provider writes its errors. */
  errorBody: string;
}

const CONTROL_PATH = '/sandbox/faults';
const RELEASE_PATH = '/sandbox/faults/release';
const DEFAULT_HANG_MS = 30_000;
/** Enough for a test's request lines, bounded for a long staging run. */
const MAX_SEEN = 100_000;
/** The shape of a provider document, so the cut half looks like the start of a real answer. */
const TRUNCATED_SOURCE = JSON.stringify({ id: 'sandbox-fault', status: 'truncated', items: [{ name: 'cut here', amount: 100 }], created: '2026-01-01T00:00:00Z' });
const HTML_PAGE = '<!doctype html><html><head><title>Maintenance</title></head><body><h1>We will be back soon</h1></body></html>';

interface Armed {
  spec: FaultSpec;
  left: number;
}

export class FaultPlan implements SandboxFaults {
  private faults: Armed[] = [];
  private readonly seen: string[] = [];
  /** Answers a `hold` fault keeps back, each the way to send it. */
  private holding: HeldAnswer[] = [];

  constructor(
    private readonly timers: Timers,
    private readonly shape: FaultShape,
  ) {
    // A closed sandbox keeps nobody waiting: what it still holds is dropped.
    timers.onClose(() => {
      for (const answer of this.holding.splice(0)) answer.drop();
    });
  }

  inject(fault: FaultSpec): void {
    if (!FAULT_KINDS.includes(fault.kind)) throw new Error(`unknown fault kind ${String(fault.kind)}`);
    const times = fault.times ?? 1;
    if (!(times === Infinity || (Number.isInteger(times) && times > 0))) throw new Error('times is a whole number from 1, or Infinity');
    this.faults.push({ spec: { ...fault }, left: times });
  }

  clear(): void {
    this.faults = [];
  }

  armed(): { kind: FaultKind; only?: string; left: number }[] {
    return this.faults.map(({ spec, left }) => ({ kind: spec.kind, ...(spec.only ? { only: spec.only.source } : {}), left }));
  }

  count(pattern: RegExp): number {
    return this.seen.filter((line) => pattern.test(line)).length;
  }

  held(): number {
    return this.holding.length;
  }

  release(): number {
    const answers = this.holding.splice(0);
    for (const answer of answers) answer.send();
    return answers.length;
  }

  /**
   * Runs before the sandbox's handler: answers the control route, or applies the first armed fault
   * aimed at this request. True when the response was taken over (the handler must not run).
   */
  async intercept(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://sandbox').pathname;
    if (path === CONTROL_PATH) {
      await this.control(req, res);
      return true;
    }
    if (path === RELEASE_PATH) {
      if (method === 'POST') send(res, jsonReply(200, { released: this.release() }));
      else send(res, jsonReply(405, { error: 'POST' }));
      return true;
    }
    const line = `${method} ${path}`;
    if (this.seen.length >= MAX_SEEN) this.seen.shift();
    this.seen.push(line);
    const armed = this.faults.find((fault) => fault.spec.only === undefined || fault.spec.only.test(line));
    if (armed === undefined) return false;
    armed.left -= 1;
    if (armed.left <= 0) this.faults = this.faults.filter((fault) => fault !== armed);
    return this.apply(armed.spec, res);
  }

  private async apply(fault: FaultSpec, res: ServerResponse): Promise<boolean> {
    switch (fault.kind) {
      case 'latency':
        await this.timers.sleep(fault.ms ?? 0);
        if (!this.timers.closed) return false;
        res.destroy();
        return true;
      case 'status':
        send(res, { status: fault.status ?? 503, contentType: this.shape.jsonContentType, body: fault.body ?? this.shape.errorBody });
        return true;
      case 'reset':
        res.socket?.destroy();
        res.destroy();
        return true;
      case 'hang': {
        const timer = this.timers.set(() => res.destroy(), fault.ms ?? DEFAULT_HANG_MS);
        res.on('close', () => this.timers.clear(timer));
        return true;
      }
      case 'truncated':
        send(res, { status: 200, contentType: this.shape.jsonContentType, body: fault.body ?? TRUNCATED_SOURCE.slice(0, Math.floor(TRUNCATED_SOURCE.length / 2)) });
        return true;
      case 'malformed':
        send(res, { status: 200, contentType: this.shape.jsonContentType, body: fault.body ?? '{"id": sandbox-fault, "status": }' });
        return true;
      case 'content-type':
        send(res, { status: 200, contentType: 'text/html; charset=utf-8', body: HTML_PAGE });
        return true;
      case 'lost':
        dropAnswer(res);
        return false;
      case 'hold':
        holdAnswer(res, (answer) => (this.timers.closed ? answer.drop() : this.holding.push(answer)));
        return false;
    }
  }

  private async control(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    if (method === 'GET') return send(res, jsonReply(200, { faults: this.armed(), held: this.held() }));
    if (method === 'DELETE') {
      this.clear();
      return send(res, jsonReply(200, { faults: [] }));
    }
    if (method !== 'POST') return send(res, jsonReply(405, { error: 'GET, POST or DELETE' }));
    try {
      this.inject(parseFaultSpec(await readSmallBody(req)));
    } catch (error) {
      return send(res, jsonReply(400, { error: error instanceof Error ? error.message : 'bad fault' }));
    }
    send(res, jsonReply(201, { faults: this.armed() }));
  }
}

/** Lets the handler run but never sends its answer: whatever it writes destroys the connection instead. */
function dropAnswer(res: ServerResponse): void {
  const drop = (): ServerResponse => {
    res.socket?.destroy();
    res.destroy();
    return res;
  };
  res.writeHead = drop as ServerResponse['writeHead'];
  res.write = (() => true) as ServerResponse['write'];
  res.end = drop as ServerResponse['end'];
}

/** An answer the handler has finished, kept back by a `hold` fault. */
interface HeldAnswer {
  send(): void;
  drop(): void;
}

/**
 * Lets the handler run but keeps what it writes; once it has ended its answer, `onHeld` gets the
 * way to send it as written (or to drop it).
 */
function holdAnswer(res: ServerResponse, onHeld: (answer: HeldAnswer) => void): void {
  const { writeHead, write, end } = res;
  const calls: (() => void)[] = [];
  const restore = (): void => {
    res.writeHead = writeHead;
    res.write = write;
    res.end = end;
  };
  res.writeHead = ((...args: Parameters<ServerResponse['writeHead']>) => {
    calls.push(() => writeHead.apply(res, args));
    return res;
  }) as ServerResponse['writeHead'];
  res.write = ((...args: Parameters<ServerResponse['write']>) => {
    calls.push(() => write.apply(res, args as Parameters<typeof write>));
    return true;
  }) as ServerResponse['write'];
  res.end = ((...args: Parameters<ServerResponse['end']>) => {
    calls.push(() => end.apply(res, args as Parameters<typeof end>));
    onHeld({
      send: () => {
        restore();
        // The caller may have gone meanwhile (killed): then there is nobody to answer.
        if (res.destroyed || res.socket?.destroyed) return void res.destroy();
        for (const call of calls) call();
      },
      drop: () => {
        restore();
        res.socket?.destroy();
        res.destroy();
      },
    });
    return res;
  }) as ServerResponse['end'];
}

/** A fault as POST /sandbox/faults takes it (JSON; `only` a RegExp source, `times` null = Infinity). */
export function parseFaultSpec(text: string): FaultSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error('the body is a JSON fault');
  }
  if (typeof raw !== 'object' || raw === null) throw new Error('the body is a JSON fault');
  const value = raw as Record<string, unknown>;
  const kind = FAULT_KINDS.find((candidate) => candidate === value.kind);
  if (kind === undefined) throw new Error(`kind is one of ${FAULT_KINDS.join(', ')}`);
  const spec: FaultSpec = { kind };
  if (value.only !== undefined) {
    if (typeof value.only !== 'string') throw new Error('only is a regular expression source');
    try {
      spec.only = new RegExp(value.only);
    } catch {
      throw new Error('only is not a valid regular expression');
    }
  }
  if (value.times === null) spec.times = Infinity;
  else if (value.times !== undefined) spec.times = wholeNumber(value.times, 'times', 1);
  if (value.ms !== undefined) spec.ms = wholeNumber(value.ms, 'ms', 0);
  if (value.status !== undefined) {
    spec.status = wholeNumber(value.status, 'status', 100);
    if (spec.status > 599) throw new Error('status is an HTTP status');
  }
  if (value.body !== undefined) {
    if (typeof value.body !== 'string') throw new Error('body is a string');
    spec.body = value.body;
  }
  return spec;
}

function wholeNumber(value: unknown, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw new Error(`${name} is a whole number from ${min}`);
  return value;
}

async function readSmallBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > 10_000) throw new Error('the fault is too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The one-shot faults the sandboxes' `fault(kind)` has armed since before the plan existed. */
export type LegacyFault = 'http500' | 'malformed' | 'timeout';

/**
 * `fault(kind, only)` as the older test handles know it, on the plan: arming replaces what was
 * armed, null disarms, and the fault hits the next matching request once. `bodies` keeps each
 * sandbox's own 500 and cut-off answers.
 */
export function armLegacyFault(plan: FaultPlan, next: LegacyFault | null, only: RegExp, bodies: { http500: string; malformed: string }): void {
  plan.clear();
  if (next === null) return;
  if (next === 'http500') plan.inject({ kind: 'status', status: 500, body: bodies.http500, only });
  else if (next === 'malformed') plan.inject({ kind: 'truncated', body: bodies.malformed, only });
  else plan.inject({ kind: 'hang', only });
}
