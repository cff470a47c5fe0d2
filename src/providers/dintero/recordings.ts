import { randomUUID } from 'node:crypto';
import { GatewayError } from '../../domain/errors.js';
import type { KeyValueStore } from '../../store/types.js';
import type { DinteroClient } from './client.js';
import type { DinteroRecording } from './mapping.js';

export interface RecordingLedgerOptions {
  kv: KeyValueStore;
  client: DinteroClient;
  accountId: string;
  /** Upper bound of one Dintero call; a claim outlives it so a slow sender is not overtaken. */
  timeoutMs: number;
  sleep?: (ms: number) => Promise<void>;
}

/** How long "recorded" is remembered; after that a resend is still a replay at Dintero (same id). */
const DONE_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const DONE = 'done';
const WAIT_STEP_MS = 50;

/**
 * Sends each recording to Dintero's Orders API exactly once across every gateway instance: a
 * callback, a duplicate callback and the reconciliation poller may all see the same AUTHORIZED
 * transaction at once. Whoever claims `dintero:recording:<account>:<id>` in the shared store sends
 * it; the others wait for the claim to resolve. The claim becomes "done" on success and is
 * released on failure (so the next attempt, from anyone, sends it again). The recording's id is
 * deterministic and Dintero treats a resend of it as a replay, which covers a sender that died
 * between Dintero's answer and marking it done.
 */
export class RecordingLedger {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: RecordingLedgerOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** True once Dintero has the recording; false when it is still to be done (it failed, or is in flight elsewhere too long). */
  async ensure(recording: DinteroRecording): Promise<boolean> {
    const key = `dintero:recording:${this.options.accountId}:${recording.body.id}`;
    const claimTtl = this.options.timeoutMs * 2 + 1000;
    const deadline = Date.now() + this.options.timeoutMs + 500;
    for (;;) {
      const claim = `claimed:${randomUUID()}`;
      if (await this.options.kv.setIfAbsent(key, claim, claimTtl)) return this.send(key, claim, recording);
      const state = await this.options.kv.get(key);
      if (state === DONE) return true;
      if (state === null) continue; // released (or expired) between our two looks: claim again
      if (Date.now() > deadline) return false;
      await this.sleep(WAIT_STEP_MS);
    }
  }

  /** Whether the recording is known to be done, without sending anything. */
  async isDone(recording: DinteroRecording): Promise<boolean> {
    return (await this.options.kv.get(`dintero:recording:${this.options.accountId}:${recording.body.id}`)) === DONE;
  }

  private async send(key: string, claim: string, recording: DinteroRecording): Promise<boolean> {
    try {
      await this.options.client.record(recording.orderId, recording.kind, recording.body);
    } catch (error) {
      // An authorization recorded before under another id is just as good (Dintero says so).
      const duplicate = error instanceof GatewayError && error.details.providerCode === 'DUPLICATE_AUTHORIZATION';
      if (!duplicate) {
        await this.options.kv.deleteIfEquals(key, claim);
        if (error instanceof GatewayError) return false;
        throw error;
      }
    }
    await this.options.kv.set(key, DONE, DONE_TTL_MS);
    return true;
  }
}
