import type { DinteroRecording, DinteroRecordingKind } from './provider-data.js';
import type { RecordingLedger, RecordingOutcome } from './recordings.js';

/** How long a recording Dintero does not take (5xx, timeouts) is retried before it is marked failed. */
export const RECORDING_RETRY_BOUND_MS = 24 * 60 * 60 * 1000;

/**
 * The marks a mark comes after, in the seed's steps (mark authorized, capture, mark captured,
 * refund, mark refunded). An Orders API that keeps to that order refuses (4xx, final) a capture
 * mark on an order not yet marked authorized; so while an earlier mark of the order is still
 * pending (Dintero did not take it yet), a later one waits, pending, and reconciliation sends
 * them in order. Before, the later one was sent at once and, refused, failed for good.
 */
const COMES_AFTER: Record<DinteroRecordingKind, readonly DinteroRecordingKind[]> = {
  authorizations: [],
  captures: ['authorizations'],
  cancel: ['authorizations'],
  refunds: ['authorizations', 'captures'],
};

/** Whether `kind` must wait: an earlier mark of the same order is pending among `recordings`. */
export function waitsForEarlierMark(kind: DinteroRecordingKind, recordings: Iterable<DinteroRecording>): boolean {
  for (const recording of recordings) {
    if (recording.state === 'pending' && COMES_AFTER[kind].includes(recording.kind)) return true;
  }
  return false;
}

/** The seed's order of marks, for sending pending ones (COMES_AFTER). */
export const MARK_RANK: Record<DinteroRecordingKind, number> = { authorizations: 0, captures: 1, cancel: 1, refunds: 2 };

/** Records money operations on the Orders API order, and says where each recording stands. */
export interface Recorder {
  /** Sends (or finds already sent) the recording; its state after this try. */
  record(recording: DinteroRecording): Promise<DinteroRecording>;
  /**
   * After the money moved the change has happened, whatever the recording does: a recording that
   * cannot even be tried (the store fails) stays pending, for reconciliation to send.
   */
  recordAfterMoney(recording: DinteroRecording): Promise<DinteroRecording>;
}

export function createRecorder(ledger: RecordingLedger, now: () => number): Recorder {
  function settle(recording: DinteroRecording, outcome: RecordingOutcome): DinteroRecording {
    switch (outcome.state) {
      case 'done':
        return { ...recording, state: 'done' };
      case 'failed':
        return { ...recording, state: 'failed', reason: outcome.reason };
      case 'pending':
        return now() - recording.firstTriedAt >= RECORDING_RETRY_BOUND_MS
          ? { ...recording, state: 'failed', reason: 'Dintero did not take it within 24 hours' }
          : recording;
    }
  }

  const record = async (recording: DinteroRecording): Promise<DinteroRecording> => settle(recording, await ledger.ensure(recording));

  return {
    record,
    async recordAfterMoney(recording) {
      try {
        return await record(recording);
      } catch {
        return recording;
      }
    },
  };
}
