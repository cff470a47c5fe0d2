import { randomUUID } from 'node:crypto';
import { GatewayError } from '../../domain/errors.js';
import type { KeyValueStore } from '../../store/types.js';
import { DinteroBareRefusal, type DinteroClient } from './client.js';
import type { DinteroRecording } from './provider-data.js';

export interface RecordingLedgerOptions {
  kv: KeyValueStore;
  client: DinteroClient;
  accountId: string;
  /** Upper bound of one Dintero call; a claim outlives it so a slow sender is not overtaken. */
  timeoutMs: number;
  /** Clock, epoch ms. Default the system clock. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** What became of one attempt to have a recording on Dintero's order. */
export type RecordingOutcome = { state: 'done' } | { state: 'pending' } | { state: 'failed'; reason: string };

/** How long "recorded" (or "refused") is remembered; after that a resend is still a replay at Dintero (same id). */
const SETTLED_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const DONE = 'done';
const FAILED_PREFIX = 'failed:';
const WAIT_STEP_MS = 50;

/**
 * Sends each recording to Dintero's Orders API exactly once across every gateway instance: a
 * callback, a duplicate callback and the reconciliation poller may all see the same AUTHORIZED
 * transaction at once. Whoever claims `dintero:recording:<account>:<id>` in the shared store sends
 * it; the others wait for the claim to resolve. The claim becomes "done" on success, "failed" when
 * Dintero refuses it with a 4xx (resending the same body would be refused again: final), and is
 * released on anything else (a 5xx, a timeout: the next attempt, from anyone, sends it again).
 * The recording's id is deterministic and Dintero treats a resend of it as a replay (a sandbox
 * assumption, see its header), which covers a sender that died between Dintero's answer and
 * marking it done.
 */
export class RecordingLedger {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: RecordingLedgerOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
  }

  /** Sends the recording unless it is settled; throws only when the store fails. */
  async ensure(recording: DinteroRecording): Promise<RecordingOutcome> {
    const key = this.keyOf(recording);
    const claimTtl = this.options.timeoutMs * 2 + 1000;
    const deadline = this.now() + this.options.timeoutMs + 500;
    for (;;) {
      const claim = `claimed:${randomUUID()}`;
      if (await this.options.kv.setIfAbsent(key, claim, claimTtl)) return this.send(key, claim, recording);
      const state = await this.options.kv.get(key);
      if (state === DONE) return { state: 'done' };
      if (state?.startsWith(FAILED_PREFIX)) return { state: 'failed', reason: state.slice(FAILED_PREFIX.length) };
      if (state === null) continue; // released (or expired) between our two looks: claim again
      if (this.now() > deadline) return { state: 'pending' };
      await this.sleep(WAIT_STEP_MS);
    }
  }

  private keyOf(recording: DinteroRecording): string {
    return `dintero:recording:${this.options.accountId}:${recording.body.id}`;
  }

  /** How many times the recording was sent (counted before each send, so a sender that died counts too). */
  private sendsKeyOf(recording: DinteroRecording): string {
    return `dintero:recording-sends:${this.options.accountId}:${recording.body.id}`;
  }

  private async send(key: string, claim: string, recording: DinteroRecording): Promise<RecordingOutcome> {
    const sentBefore = (await this.options.kv.increment(this.sendsKeyOf(recording), SETTLED_TTL_MS)) > 1;
    try {
      await this.options.client.record(recording.orderId, recording.kind, recording.body);
    } catch (error) {
      if (!saysAlreadyRecorded(error) && !(sentBefore && wordlessConflict(error))) {
        if (error instanceof GatewayError && error.code === 'PROVIDER_REJECTED') {
          // Dintero's own words (rejection() in client.ts): no token or secret in them.
          await this.options.kv.set(key, `${FAILED_PREFIX}${error.message}`, SETTLED_TTL_MS);
          return { state: 'failed', reason: error.message };
        }
        await this.options.kv.deleteIfEquals(key, claim);
        if (error instanceof GatewayError) return { state: 'pending' };
        throw error;
      }
    }
    await this.options.kv.set(key, DONE, SETTLED_TTL_MS);
    return { state: 'done' };
  }
}

/** How a refusal says the mark is there already: a duplicate; already exists / recorded / registered / taken / present. */
const ALREADY_THERE = /duplicat|already[\s_-]*(exist|record|registered|taken|present|created)/i;

/**
 * Whether Dintero's refusal of a mark says the mark is already on the order. An authorization
 * recorded before under another id is just as good (the sandbox's DUPLICATE_AUTHORIZATION). And
 * the mark's `id` is the gateway's own, the same on every resend (the seed shows a mark's body,
 * never its answer): an Orders API that keeps it refuses the resend of a mark whose answer was
 * lost as a duplicate (409 Conflict, "already exists"). Round ten: before, that refusal was taken
 * as final, the mark shown `dintero.recording_failed` for a person to fix, while it was recorded.
 * A refusal for any other reason (the order's state, a 409 among them) is still one.
 */
export function saysAlreadyRecorded(error: unknown): boolean {
  if (!(error instanceof GatewayError) || error.code !== 'PROVIDER_REJECTED') return false;
  const code = error.details.providerCode ?? '';
  return code === 'DUPLICATE_AUTHORIZATION' || ALREADY_THERE.test(code) || ALREADY_THERE.test(error.message);
}

/**
 * A 409 Conflict that says nothing of what conflicts (client.ts DinteroBareRefusal: no Dintero error
 * body, or words that only restate the status). On a mark the gateway sent before, under the same
 * id, with no answer it could read (a 5xx, a timeout, a sender that died), it is the mark already
 * there: the only thing that the resend can conflict with is the first send, and nothing about the
 * order changed between the two (a mark moves no money, and the next mark waits for it,
 * recorder.ts COMES_AFTER). The seed shows no read of an order's marks to ask instead. Round eleven:
 * before, such a 409 (an Orders API with a unique key on the id that answers a conflict with an empty
 * or a text body) failed the mark for good, `dintero.recording_failed`, while it was recorded. On a
 * first send it is a refusal, as before: the mark cannot be there yet. Round twelve: told by the
 * refusal's type, not by parsing the message client.ts wrote.
 */
function wordlessConflict(error: unknown): boolean {
  return error instanceof DinteroBareRefusal && error.httpStatus === 409;
}
